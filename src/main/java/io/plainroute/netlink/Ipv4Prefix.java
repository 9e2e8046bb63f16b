package io.plainroute.netlink;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 address with a prefix length, as in {@code 10.244.3.1/24}: an interface address when
 * the host bits matter, a route destination when they are zero (see {@link #network()}).
 *
 * <p>A value kept as its 32 bits, so that decoding thousands of routes creates no
 * {@link InetAddress}; {@link #address()} makes one when asked.
 */
public final class Ipv4Prefix implements IpPrefix {
  private final int bits;
  private final int length;

  private Ipv4Prefix(int bits, int length) {
    if (length < 0 || length > 32) {
      throw new IllegalArgumentException("prefix length " + length + " is not between 0 and 32");
    }
    this.bits = bits;
    this.length = length;
  }

  /**
   * @param address the address
   * @param length prefix length, 0 to 32
   */
  public Ipv4Prefix(Inet4Address address, int length) {
    this(bitsOf(address), length);
  }

  /** From the address's 32 bits, most significant first ({@code 10.0.0.0} is {@code 0x0a000000}). */
  public static Ipv4Prefix of(int bits, int length) {
    return new Ipv4Prefix(bits, length);
  }

  /** Parses {@code a.b.c.d/n}; never consults DNS. */
  public static Ipv4Prefix parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + cidr + "' is not of the form a.b.c.d/n");
    }
    return new Ipv4Prefix(parseBits(cidr.substring(0, slash), cidr), parseNumber(cidr.substring(slash + 1), 32, cidr));
  }

  /** Parses a dotted-quad address; never consults DNS. */
  public static Inet4Address parseAddress(String dotted) {
    return toInet4(parseBits(dotted, dotted));
  }

  @Override
  public IpFamily family() {
    return IpFamily.IPV4;
  }

  /** The address. */
  @Override
  public Inet4Address address() {
    return toInet4(bits);
  }

  /** The address's 32 bits, most significant first. */
  public int bits() {
    return bits;
  }

  /** The prefix length, 0 to 32. */
  @Override
  public int length() {
    return length;
  }

  /** This prefix with its host bits cleared, e.g. 10.200.3.0/24 for 10.200.3.7/24. */
  @Override
  public Ipv4Prefix network() {
    int mask = length == 0 ? 0 : -1 << (32 - length);
    return (bits & mask) == bits ? this : new Ipv4Prefix(bits & mask, length);
  }

  /** Whether the host bits are zero, as the kernel requires of a route destination. */
  @Override
  public boolean isNetwork() {
    return network() == this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ipv4Prefix prefix && prefix.bits == bits && prefix.length == length;
  }

  @Override
  public int hashCode() {
    return bits * 31 + length;
  }

  @Override
  public String toString() {
    return dotted(bits) + "/" + length;
  }

  /** {@code a.b.c.d} for the address's 32 bits. */
  static String dotted(int bits) {
    return (bits >>> 24) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
  }

  static int bitsOf(Inet4Address address) {
    if (address == null) {
      throw new IllegalArgumentException("address is required");
    }
    byte[] bytes = address.getAddress();
    return (bytes[0] & 0xff) << 24 | (bytes[1] & 0xff) << 16 | (bytes[2] & 0xff) << 8 | bytes[3] & 0xff;
  }

  static Inet4Address toInet4(int bits) {
    try {
      return (Inet4Address) InetAddress.getByAddress(
          new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are always an IPv4 address", e);
    }
  }

  /** The address's bits; errors quote the whole input, the address being part of a prefix. */
  private static int parseBits(String dotted, String input) {
    String[] parts = dotted.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + input + "' is not "
          + (input.equals(dotted) ? "a dotted-quad IPv4 address" : "of the form a.b.c.d/n"));
    }
    int bits = 0;
    for (String part : parts) {
      bits = bits << 8 | parseNumber(part, 255, input);
    }
    return bits;
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
}
