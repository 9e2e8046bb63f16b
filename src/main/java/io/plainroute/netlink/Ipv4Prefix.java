package io.plainroute.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * An IPv4 address with a prefix length, as in {@code 10.244.3.1/24}: an interface address when
 * the host bits matter, a route destination when they are zero (see {@link #network()}).
 *
 * @param address the address
 * @param length prefix length, 0 to 32
 */
public record Ipv4Prefix(Inet4Address address, int length) {

  public Ipv4Prefix {
    if (address == null) {
      throw new IllegalArgumentException("address is required");
    }
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("prefix length " + length + " is not between 0 and 32");
    }
  }

  /** Parses {@code a.b.c.d/n}; never consults DNS. */
  public static Ipv4Prefix parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + cidr + "' is not of the form a.b.c.d/n");
    }
    return new Ipv4Prefix(parseAddress(cidr.substring(0, slash)), parseNumber(cidr.substring(slash + 1), 32, cidr));
  }

  /** Parses a dotted-quad address; never consults DNS. */
  public static Inet4Address parseAddress(String dotted) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + dotted + "' is not a dotted-quad IPv4 address");
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      bytes[i] = (byte) parseNumber(parts[i], 255, dotted);
    }
    return toInet4(bytes);
  }

  /** This prefix with its host bits cleared, e.g. 10.200.3.0/24 for 10.200.3.7/24. */
  public Ipv4Prefix network() {
    int mask = length == 0 ? 0 : -1 << (32 - length);
    int bits = ByteBuffer.wrap(address.getAddress()).getInt() & mask;
    return new Ipv4Prefix(toInet4(ByteBuffer.allocate(4).putInt(bits).array()), length);
  }

  /** Whether the host bits are zero, as the kernel requires of a route destination. */
  public boolean isNetwork() {
    return equals(network());
  }

  @Override
  public String toString() {
    return address.getHostAddress() + "/" + length;
  }

  private static int parseNumber(String digits, int max, String input) {
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + input + "' is not an IPv4 address or prefix");
    }
    int value = Integer.parseInt(digits);
    if (value > max) {
      throw new IllegalArgumentException("'" + input + "' has " + value + " where at most " + max + " fits");
    }
    return value;
  }

  private static Inet4Address toInet4(byte[] bytes) {
    try {
      return (Inet4Address) InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }
}
