package io.plainroute.netlink;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * An address with a prefix length, of either family: {@code 10.244.3.1/24} or
 * {@code fd00:10:244:3::1/64}. Text becomes one of these once, at the edge ({@link #parse}); past
 * it the family is a type, never re-read from a string.
 */
public sealed interface IpPrefix permits Ipv4Prefix, Ipv6Prefix {

  IpFamily family();

  /** The address (host bits as given). */
  InetAddress address();

  /** The prefix length, 0 to 32 or 0 to 128. */
  int length();

  /** This prefix with its host bits cleared. */
  IpPrefix network();

  /** Whether the host bits are zero, as the kernel requires of a route destination. */
  boolean isNetwork();

  /** Whether every address of {@code other} lies in this network (same family, no shorter prefix). */
  default boolean covers(IpPrefix other) {
    return other.family() == family() && length() <= other.length()
        && of(other.address(), length()).network().equals(network());
  }

  /** Parses {@code a.b.c.d/n} or an IPv6 {@code address/n}; never consults DNS. */
  static IpPrefix parse(String cidr) {
    if (cidr == null) {
      throw new IllegalArgumentException("a prefix is required");
    }
    return cidr.indexOf(':') >= 0 ? Ipv6Prefix.parse(cidr) : Ipv4Prefix.parse(cidr);
  }

  /** Parses an address of either family; never consults DNS. */
  static InetAddress parseAddress(String text) {
    if (text == null) {
      throw new IllegalArgumentException("an address is required");
    }
    return text.indexOf(':') >= 0 ? Ipv6Prefix.parseAddress(text) : Ipv4Prefix.parseAddress(text);
  }

  /** The prefix of {@code address} with the given length, typed by the address's family. */
  static IpPrefix of(InetAddress address, int length) {
    if (address instanceof Inet4Address v4) {
      return new Ipv4Prefix(v4, length);
    }
    if (address instanceof Inet6Address v6) {
      return new Ipv6Prefix(v6, length);
    }
    throw new IllegalArgumentException("address is required");
  }

  /** The address alone, as a prefix of full length ({@code /32} or {@code /128}). */
  static IpPrefix host(InetAddress address) {
    return of(address, address instanceof Inet4Address ? 32 : 128);
  }

  /** The address as people write it: dotted quad, or IPv6 in its short form (RFC 5952). */
  static String format(InetAddress address) {
    return address instanceof Inet6Address v6 ? Ipv6Prefix.format(v6) : address.getHostAddress();
  }
}
