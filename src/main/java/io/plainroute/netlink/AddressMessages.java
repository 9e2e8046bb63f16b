package io.plainroute.netlink;

import static io.plainroute.netlink.nl.IfAddr.IFA_ADDRESS;
import static io.plainroute.netlink.nl.IfAddr.IFA_F_NODAD;
import static io.plainroute.netlink.nl.IfAddr.IFA_LOCAL;
import static io.plainroute.netlink.nl.Netlink.NLM_F_CREATE;
import static io.plainroute.netlink.nl.Netlink.NLM_F_EXCL;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_GETADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RT_SCOPE_UNIVERSE;

import io.plainroute.netlink.nl.AttributeReader;
import io.plainroute.netlink.nl.IfAddrMsg;
import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.MessageWriter;
import java.util.function.Consumer;

/** Address requests of either family ({@code RTM_*ADDR}) and the decoding of address messages. */
final class AddressMessages {

  private AddressMessages() {
  }

  /** Dumps the addresses of one family. */
  static Request dump(IpFamily family) {
    return Request.dump(RTM_GETADDR, new IfAddrMsg(family.addressFamily(), 0, 0, 0, 0), "RTM_GETADDR " + family + " dump");
  }

  /**
   * @param noDad skip duplicate address detection (IPv6 {@code nodad}): the address is usable at
   *     once instead of tentative for a second or more
   */
  static Request add(Address address, boolean noDad) {
    return Request.acknowledged(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header(address, noDad ? IFA_F_NODAD : 0),
        attributes(address), "RTM_NEWADDR " + address + (noDad ? " nodad" : ""));
  }

  static Request delete(Address address) {
    return Request.acknowledged(RTM_DELADDR, 0, header(address, 0), attributes(address), "RTM_DELADDR " + address);
  }

  /**
   * Decodes an {@code RTM_NEWADDR} or {@code RTM_DELADDR} message of family {@code AF_INET} or
   * {@code AF_INET6}; null for any other family.
   */
  static Address parse(MessageReader message) {
    IfAddrMsg header = IfAddrMsg.read(message.buffer(), message.familyHeader(IfAddrMsg.SIZE));
    IpFamily family = IpFamily.ofAddressFamily(header.family());
    if (family == null) {
      return null;
    }
    int length = AddressAttributes.prefixLength(header.prefixLength(), family);
    // IFA_ADDRESS is the peer on point-to-point links; IFA_LOCAL is always the link's own.
    IpPrefix local = null;
    IpPrefix address = null;
    for (AttributeReader attribute = message.attributes(IfAddrMsg.SIZE); attribute.next(); ) {
      if (attribute.type() == IFA_LOCAL) {
        local = AddressAttributes.read(attribute, family, length);
      } else if (attribute.type() == IFA_ADDRESS) {
        address = AddressAttributes.read(attribute, family, length);
      }
    }
    if (local == null && address == null) {
      throw new MalformedMessageException("address message without IFA_LOCAL or IFA_ADDRESS");
    }
    return new Address(header.index(), local != null ? local : address);
  }

  private static IfAddrMsg header(Address address, int flags) {
    return new IfAddrMsg(address.local().family().addressFamily(), address.local().length(), flags, RT_SCOPE_UNIVERSE,
        address.linkIndex());
  }

  private static Consumer<MessageWriter> attributes(Address address) {
    // Both, as ip sends them: without a peer the kernel expects IFA_ADDRESS equal to IFA_LOCAL.
    return writer -> {
      AddressAttributes.put(writer, IFA_LOCAL, address.local());
      AddressAttributes.put(writer, IFA_ADDRESS, address.local());
    };
  }
}
