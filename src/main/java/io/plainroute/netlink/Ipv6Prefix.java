package io.plainroute.netlink;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv6 address with a prefix length, as in {@code fd00:10:244:3::1/64}: an interface address
 * when the host bits matter, a route destination when they are zero (see {@link #network()}).
 *
 * <p>A value kept as its 128 bits in two longs, so that decoding routes creates no
 * {@link InetAddress}; {@link #address()} makes one when asked.
 */
public final class Ipv6Prefix implements IpPrefix {
  private final long high;
  private final long low;
  private final int length;

  private Ipv6Prefix(long high, long low, int length) {
    if (length < 0 || length > 128) {
      throw new IllegalArgumentException("prefix length " + length + " is not between 0 and 128");
    }
    this.high = high;
    this.low = low;
    this.length = length;
  }

  /**
   * @param address the address
   * @param length prefix length, 0 to 128
   */
  public Ipv6Prefix(Inet6Address address, int length) {
    this(word(bytesOf(address), 0), word(bytesOf(address), 8), length);
  }

  /** From the address's 128 bits, most significant first. */
  public static Ipv6Prefix of(long high, long low, int length) {
    return new Ipv6Prefix(high, low, length);
  }

  /** Parses {@code address/n} in any form RFC 4291 allows, without a zone; never consults DNS. */
  public static Ipv6Prefix parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("'" + cidr + "' is not of the form address/n (e.g. fd00:10:244::/48)");
    }
    String digits = cidr.substring(slash + 1);
    if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException("'" + cidr + "' has no prefix length between 0 and 128 after '/'");
    }
    int length = Integer.parseInt(digits);
    if (length > 128) {
      throw new IllegalArgumentException("'" + cidr + "' has prefix length " + length + " where at most 128 fits");
    }
    try {
      return new Ipv6Prefix(parseAddress(cidr.substring(0, slash)), length);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + cidr + "' is not an IPv6 prefix: " + e.getMessage(), e);
    }
  }

  /** Parses an IPv6 address (no zone, no brackets); never consults DNS. */
  public static Inet6Address parseAddress(String text) {
    // Only the characters of an IPv6 literal, so InetAddress cannot take it for a host name.
    if (text.isEmpty() || text.indexOf(':') < 0 || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
      throw new IllegalArgumentException("'" + text + "' is not an IPv6 address");
    }
    try {
      InetAddress address = InetAddress.getByName(text);
      if (address instanceof Inet6Address v6) {
        return v6;
      }
    } catch (UnknownHostException e) {
      // falls through to the error below
    }
    throw new IllegalArgumentException("'" + text + "' is not an IPv6 address (IPv4-mapped forms are not accepted)");
  }

  @Override
  public IpFamily family() {
    return IpFamily.IPV6;
  }

  @Override
  public Inet6Address address() {
    return toInet6(high, low);
  }

  /** The upper 64 bits of the address. */
  public long high() {
    return high;
  }

  /** The lower 64 bits of the address. */
  public long low() {
    return low;
  }

  @Override
  public int length() {
    return length;
  }

  @Override
  public Ipv6Prefix network() {
    long highMask = length >= 64 ? -1L : length == 0 ? 0 : -1L << (64 - length);
    long lowMask = length <= 64 ? 0 : length == 128 ? -1L : -1L << (128 - length);
    return (high & highMask) == high && (low & lowMask) == low ? this
        : new Ipv6Prefix(high & highMask, low & lowMask, length);
  }

  @Override
  public boolean isNetwork() {
    return network() == this;
  }

  /** Whether the address is link-local ({@code fe80::/10}): the kernel's own, on every IPv6 link. */
  public boolean isLinkLocal() {
    return (high >>> 54) == (0xfe80L >>> 6);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Ipv6Prefix prefix && prefix.high == high && prefix.low == low && prefix.length == length;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(high) * 961 + Long.hashCode(low) * 31 + length;
  }

  @Override
  public String toString() {
    return format(high, low) + "/" + length;
  }

  /** RFC 5952's short form: lower case, leading zeros dropped, the longest run of zero groups as {@code ::}. */
  static String format(long high, long low) {
    int[] groups = new int[8];
    for (int i = 0; i < 4; i++) {
      groups[i] = (int) (high >>> (48 - 16 * i)) & 0xffff;
      groups[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xffff;
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < 8; ) {
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  static String format(Inet6Address address) {
    byte[] bytes = address.getAddress();
    return format(word(bytes, 0), word(bytes, 8));
  }

  static Inet6Address toInet6(long high, long low) {
    byte[] bytes = new byte[16];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (high >>> (56 - 8 * i));
      bytes[i + 8] = (byte) (low >>> (56 - 8 * i));
    }
    try {
      return Inet6Address.getByAddress(null, bytes, null);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("16 bytes are always an IPv6 address", e);
    }
  }

  private static byte[] bytesOf(Inet6Address address) {
    if (address == null) {
      throw new IllegalArgumentException("address is required");
    }
    if (address.getScopeId() != 0 || address.getScopedInterface() != null) {
      throw new IllegalArgumentException("'" + address.getHostAddress() + "' has a zone, which a prefix cannot carry");
    }
    return address.getAddress();
  }

  private static long word(byte[] bytes, int from) {
    long word = 0;
    for (int i = from; i < from + 8; i++) {
      word = word << 8 | bytes[i] & 0xff;
    }
    return word;
  }
}
