package io.plainroute.netlink;

import static io.plainroute.netlink.nl.IfAddr.IFA_ADDRESS;
import static io.plainroute.netlink.nl.IfAddr.IFA_LOCAL;
import static io.plainroute.netlink.nl.Netlink.NLM_F_CREATE;
import static io.plainroute.netlink.nl.Netlink.NLM_F_EXCL;
import static io.plainroute.netlink.nl.Rtnetlink.AF_INET;
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

/** IPv4 address requests ({@code RTM_*ADDR}) and the decoding of address messages. */
final class AddressMessages {

  private AddressMessages() {
  }

  static Request dump() {
    return Request.dump(RTM_GETADDR, new IfAddrMsg(AF_INET, 0, 0, 0, 0), "RTM_GETADDR dump");
  }

  static Request add(Address address) {
    return Request.acknowledged(RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, header(address), attributes(address),
        "RTM_NEWADDR " + address);
  }

  static Request delete(Address address) {
    return Request.acknowledged(RTM_DELADDR, 0, header(address), attributes(address), "RTM_DELADDR " + address);
  }

  /** Decodes an {@code RTM_NEWADDR} or {@code RTM_DELADDR} message of family {@code AF_INET}. */
  static Address parse(MessageReader message) {
    IfAddrMsg header = IfAddrMsg.read(message.buffer(), message.familyHeader(IfAddrMsg.SIZE));
    // IFA_ADDRESS is the peer on point-to-point links; IFA_LOCAL is always the link's own.
    boolean hasLocal = false;
    boolean hasAddress = false;
    int local = 0;
    int address = 0;
    for (AttributeReader attribute = message.attributes(IfAddrMsg.SIZE); attribute.next(); ) {
      if (attribute.type() == IFA_LOCAL) {
        local = attribute.inet4();
        hasLocal = true;
      } else if (attribute.type() == IFA_ADDRESS) {
        address = attribute.inet4();
        hasAddress = true;
      }
    }
    if (!hasLocal && !hasAddress) {
      throw new MalformedMessageException("address message without IFA_LOCAL or IFA_ADDRESS");
    }
    return new Address(header.index(), Ipv4Prefix.of(hasLocal ? local : address, RouteMessages.prefixLength(header.prefixLength())));
  }

  private static IfAddrMsg header(Address address) {
    return new IfAddrMsg(AF_INET, address.local().length(), 0, RT_SCOPE_UNIVERSE, address.linkIndex());
  }

  private static Consumer<MessageWriter> attributes(Address address) {
    // Both, as ip sends them: without a peer the kernel expects IFA_ADDRESS equal to IFA_LOCAL.
    return writer -> writer.putInet4(IFA_LOCAL, address.local().bits())
        .putInet4(IFA_ADDRESS, address.local().bits());
  }
}
