package io.plainroute.netlink;

import static io.plainroute.netlink.nl.IfLink.IFF_UP;
import static io.plainroute.netlink.nl.IfLink.IFLA_BRPORT_MODE;
import static io.plainroute.netlink.nl.IfLink.IFLA_PROTINFO;
import static io.plainroute.netlink.nl.Netlink.NLA_F_NESTED;
import static io.plainroute.netlink.nl.Rtnetlink.AF_BRIDGE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_SETLINK;
import static io.plainroute.netlink.nl.IfLink.IFLA_ADDRESS;
import static io.plainroute.netlink.nl.IfLink.IFLA_IFNAME;
import static io.plainroute.netlink.nl.IfLink.IFLA_INFO_KIND;
import static io.plainroute.netlink.nl.IfLink.IFLA_LINKINFO;
import static io.plainroute.netlink.nl.IfLink.IFLA_MASTER;
import static io.plainroute.netlink.nl.IfLink.IFLA_MTU;
import static io.plainroute.netlink.nl.Netlink.NLM_F_CREATE;
import static io.plainroute.netlink.nl.Netlink.NLM_F_EXCL;
import static io.plainroute.netlink.nl.Rtnetlink.AF_UNSPEC;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_GETLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWLINK;

import io.plainroute.netlink.nl.AttributeReader;
import io.plainroute.netlink.nl.IfInfoMsg;
import io.plainroute.netlink.nl.MessageReader;
import java.util.HexFormat;

/** Link requests ({@code RTM_*LINK}) and the decoding of link messages. */
final class LinkMessages {
  private static final HexFormat MAC = HexFormat.ofDelimiter(":");

  private LinkMessages() {
  }

  static Request get(String name) {
    return Request.acknowledged(RTM_GETLINK, 0, IfInfoMsg.of(0), writer -> writer.putString(IFLA_IFNAME, name),
        "RTM_GETLINK " + name);
  }

  static Request dump() {
    return Request.dump(RTM_GETLINK, IfInfoMsg.of(0), "RTM_GETLINK dump");
  }

  static Request create(String name, String kind) {
    return Request.acknowledged(RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, IfInfoMsg.of(0), writer -> {
      writer.putString(IFLA_IFNAME, name);
      int linkInfo = writer.beginNested(IFLA_LINKINFO);
      writer.putUnterminatedString(IFLA_INFO_KIND, kind);
      writer.endNested(linkInfo);
    }, "RTM_NEWLINK " + name + " type " + kind);
  }

  static Request setUp(int index, boolean up) {
    IfInfoMsg header = new IfInfoMsg(AF_UNSPEC, 0, index, up ? IFF_UP : 0, IFF_UP);
    return Request.acknowledged(RTM_NEWLINK, 0, header, writer -> { },
        "RTM_NEWLINK dev " + index + (up ? " up" : " down"));
  }

  static Request setMtu(int index, int mtu) {
    return Request.acknowledged(RTM_NEWLINK, 0, IfInfoMsg.of(index), writer -> writer.putU32(IFLA_MTU, mtu),
        "RTM_NEWLINK dev " + index + " mtu " + mtu);
  }

  static Request setMaster(int index, int master) {
    return Request.acknowledged(RTM_NEWLINK, 0, IfInfoMsg.of(index), writer -> writer.putU32(IFLA_MASTER, master),
        "RTM_NEWLINK dev " + index + " master " + master);
  }

  /** As {@code bridge link set dev LINK hairpin on}: family AF_BRIDGE, the port's settings nested in IFLA_PROTINFO. */
  static Request setHairpin(int index, boolean on) {
    return Request.acknowledged(RTM_SETLINK, 0, new IfInfoMsg(AF_BRIDGE, 0, index, 0, 0), writer -> {
      int protinfo = writer.beginNested(IFLA_PROTINFO | NLA_F_NESTED);
      writer.putU8(IFLA_BRPORT_MODE, on ? 1 : 0);
      writer.endNested(protinfo);
    }, "RTM_SETLINK bridge dev " + index + " hairpin " + (on ? "on" : "off"));
  }

  static Request delete(int index) {
    return Request.acknowledged(RTM_DELLINK, 0, IfInfoMsg.of(index), writer -> { }, "RTM_DELLINK dev " + index);
  }

  /** Decodes an {@code RTM_NEWLINK} or {@code RTM_DELLINK} message. */
  static Link parse(MessageReader message) {
    IfInfoMsg header = IfInfoMsg.read(message.buffer(), message.familyHeader(IfInfoMsg.SIZE));
    String name = "";
    int mtu = 0;
    String mac = "";
    String kind = "";
    int master = 0;
    for (AttributeReader attribute = message.attributes(IfInfoMsg.SIZE); attribute.next(); ) {
      switch (attribute.type()) {
        case IFLA_IFNAME -> name = attribute.string();
        case IFLA_MTU -> mtu = attribute.u32();
        case IFLA_ADDRESS -> mac = MAC.formatHex(attribute.bytes());
        case IFLA_LINKINFO -> kind = kind(attribute.nested(new AttributeReader()));
        case IFLA_MASTER -> master = attribute.u32();
        default -> { }
      }
    }
    return new Link(header.index(), name, (header.flags() & IFF_UP) != 0, mtu, mac, kind, master);
  }

  private static String kind(AttributeReader linkInfo) {
    while (linkInfo.next()) {
      if (linkInfo.type() == IFLA_INFO_KIND) {
        return linkInfo.string();
      }
    }
    return "";
  }
}
