package io.plainroute.netlink;

import static io.plainroute.netlink.Netlink.NLM_F_CREATE;
import static io.plainroute.netlink.Netlink.NLM_F_EXCL;
import static io.plainroute.netlink.Netlink.NLM_F_REPLACE;
import static io.plainroute.netlink.Rtnetlink.AF_INET;
import static io.plainroute.netlink.Rtnetlink.RTA_DST;
import static io.plainroute.netlink.Rtnetlink.RTA_GATEWAY;
import static io.plainroute.netlink.Rtnetlink.RTA_OIF;
import static io.plainroute.netlink.Rtnetlink.RTA_TABLE;
import static io.plainroute.netlink.Rtnetlink.RTM_DELROUTE;
import static io.plainroute.netlink.Rtnetlink.RTM_GETROUTE;
import static io.plainroute.netlink.Rtnetlink.RTM_NEWROUTE;
import static io.plainroute.netlink.Rtnetlink.RT_TABLE_UNSPEC;

/** IPv4 route requests ({@code RTM_*ROUTE}) and the decoding of route messages. */
final class RouteMessages {
  /** Table ids from here on do not fit {@code rtm_table} and travel in {@code RTA_TABLE}. */
  private static final int FIRST_LARGE_TABLE = 256;
  private static final Ipv4Prefix DEFAULT = Ipv4Prefix.parse("0.0.0.0/0");

  private RouteMessages() {
  }

  static Request dump() {
    return Request.dump(RTM_GETROUTE, new RtMsg(AF_INET, 0, 0, 0, 0, 0, 0, 0, 0), "RTM_GETROUTE dump");
  }

  static Request change(RouteChange change) {
    return switch (change.kind()) {
      case ADD -> request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_EXCL, change.route());
      case REPLACE -> request(RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, change.route());
      case DELETE -> request(RTM_DELROUTE, 0, change.route());
    };
  }

  /** Decodes an {@code RTM_NEWROUTE} or {@code RTM_DELROUTE} message of family {@code AF_INET}. */
  static Route parse(NetlinkMessage message) throws NetlinkException {
    var payload = message.payload();
    RtMsg header = RtMsg.read(payload);
    Attributes attributes = Attributes.parse(payload);
    Ipv4Prefix destination = attributes.inet4(RTA_DST)
        .map(address -> new Ipv4Prefix(address, header.dstLength()))
        .orElse(DEFAULT);
    return new Route(destination, attributes.inet4(RTA_GATEWAY), attributes.u32(RTA_OIF).orElse(0),
        header.protocol(), header.scope(), attributes.u32(RTA_TABLE).orElse(header.table()), header.type());
  }

  private static Request request(int type, int modifiers, Route route) {
    boolean largeTable = route.table() >= FIRST_LARGE_TABLE;
    RtMsg header = new RtMsg(AF_INET, route.destination().length(), 0, 0,
        largeTable ? RT_TABLE_UNSPEC : route.table(), route.protocol(), route.scope(), route.type(), 0);
    // Attribute order as ip(8) writes them, so requests compare byte for byte with its own.
    return Request.acknowledged(type, modifiers, header, writer -> {
      if (route.destination().length() > 0) {
        writer.putInet4(RTA_DST, route.destination().address());
      }
      route.gateway().ifPresent(gateway -> writer.putInet4(RTA_GATEWAY, gateway));
      if (route.linkIndex() != 0) {
        writer.putU32(RTA_OIF, route.linkIndex());
      }
      if (largeTable) {
        writer.putU32(RTA_TABLE, route.table());
      }
    }, (type == RTM_NEWROUTE ? "RTM_NEWROUTE " : "RTM_DELROUTE ") + route);
  }
}
