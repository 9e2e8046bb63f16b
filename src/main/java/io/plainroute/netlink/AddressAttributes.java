package io.plainroute.netlink;

import io.plainroute.netlink.nl.AttributeReader;
import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageWriter;

/** Address attributes of either family, between prefixes and the codec's 4- and 16-byte values. */
final class AddressAttributes {

  private AddressAttributes() {
  }

  /** Writes the prefix's address (not its length) as an attribute of its family's size. */
  static void put(MessageWriter writer, int type, IpPrefix prefix) {
    if (prefix instanceof Ipv4Prefix v4) {
      writer.putInet4(type, v4.bits());
    } else {
      Ipv6Prefix v6 = (Ipv6Prefix) prefix;
      writer.putInet6(type, v6.high(), v6.low());
    }
  }

  /** Reads an address attribute of the family as a prefix of the given length. */
  static IpPrefix read(AttributeReader attribute, IpFamily family, int length) {
    return family == IpFamily.IPV4 ? Ipv4Prefix.of(attribute.inet4(), length)
        : Ipv6Prefix.of(attribute.inet6High(), attribute.inet6Low(), length);
  }

  /** The all-zero prefix of the family: the destination of a route without {@code RTA_DST}. */
  static IpPrefix zero(IpFamily family, int length) {
    return family == IpFamily.IPV4 ? Ipv4Prefix.of(0, length) : Ipv6Prefix.of(0, 0, length);
  }

  /** A prefix length from the wire, which a byte can make up to 255. */
  static int prefixLength(int length, IpFamily family) {
    if (length > family.bits()) {
      throw new MalformedMessageException(family + " prefix length " + length + " is above " + family.bits());
    }
    return length;
  }
}
