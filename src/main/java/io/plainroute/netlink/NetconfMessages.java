package io.plainroute.netlink;

import static io.plainroute.netlink.nl.Rtnetlink.NETCONFA_FORWARDING;
import static io.plainroute.netlink.nl.Rtnetlink.NETCONFA_IFINDEX;
import static io.plainroute.netlink.nl.Rtnetlink.NETCONFMSG_SIZE;

import io.plainroute.netlink.nl.AttributeReader;
import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;

/** The decoding of {@code RTM_NEWNETCONF} notifications: per-link and global IP settings. */
final class NetconfMessages {

  private NetconfMessages() {
  }

  /**
   * The forwarding change a notification announces; null when it is of another family or does
   * not carry {@code NETCONFA_FORWARDING} (a change of {@code rp_filter} and the like).
   */
  static NetlinkEvent.ForwardingChanged forwarding(MessageReader message) {
    int header = message.familyHeader(NETCONFMSG_SIZE);
    IpFamily family = IpFamily.ofAddressFamily(Byte.toUnsignedInt(message.buffer().get(header)));
    if (family == null) {
      return null;
    }
    Integer link = null;
    Integer forwarding = null;
    for (AttributeReader attribute = message.attributes(NETCONFMSG_SIZE); attribute.next(); ) {
      if (attribute.type() == NETCONFA_IFINDEX) {
        link = attribute.u32();
      } else if (attribute.type() == NETCONFA_FORWARDING) {
        forwarding = attribute.u32();
      }
    }
    if (forwarding == null) {
      return null;
    }
    if (link == null) {
      throw new MalformedMessageException("netconf message with NETCONFA_FORWARDING but without NETCONFA_IFINDEX");
    }
    return new NetlinkEvent.ForwardingChanged(family, link, forwarding != 0);
  }
}
