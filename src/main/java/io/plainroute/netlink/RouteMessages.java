package io.plainroute.netlink;

import static io.plainroute.netlink.nl.Netlink.NLM_F_CREATE;
import static io.plainroute.netlink.nl.Netlink.NLM_F_EXCL;
import static io.plainroute.netlink.nl.Netlink.NLM_F_REPLACE;
import static io.plainroute.netlink.nl.Netlink.NLM_F_REQUEST;
import static io.plainroute.netlink.nl.Rtnetlink.RTA_DST;
import static io.plainroute.netlink.nl.Rtnetlink.RTA_GATEWAY;
import static io.plainroute.netlink.nl.Rtnetlink.RTA_OIF;
import static io.plainroute.netlink.nl.Rtnetlink.RTA_TABLE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELROUTE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_GETROUTE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWROUTE;
import static io.plainroute.netlink.nl.Rtnetlink.RT_TABLE_UNSPEC;

import io.plainroute.netlink.nl.AttributeReader;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.MessageWriter;
import io.plainroute.netlink.nl.RtMsg;
import java.nio.ByteBuffer;

/** Route requests of either family ({@code RTM_*ROUTE}) and the decoding of route messages. */
final class RouteMessages {
  /** Table ids from here on do not fit {@code rtm_table} and travel in {@code RTA_TABLE}. */
  private static final int FIRST_LARGE_TABLE = 256;
  /** A route request written here takes at most 84 bytes (IPv6); this leaves room to spare. */
  static final int MAX_BYTES = 96;

  private RouteMessages() {
  }

  /** Dumps the routes of one family: the kernel dumps every family it knows for AF_UNSPEC. */
  static Request dump(IpFamily family) {
    return Request.dump(RTM_GETROUTE, new RtMsg(family.addressFamily(), 0, 0, 0, 0, 0, 0, 0, 0),
        "RTM_GETROUTE " + family + " dump");
  }

  /** A change on its own, acknowledged: for the single-route calls of the handle. */
  static Request change(RouteChange change) {
    Route route = change.route();
    RtMsg header = new RtMsg(route.family().addressFamily(), route.destination().length(), 0, 0, tableField(route), route.protocol(),
        route.scope(), route.type(), 0);
    return Request.acknowledged(type(change), modifiers(change), header, writer -> attributes(writer, route),
        describe(change));
  }

  /**
   * Appends a change to the datagram, allocating nothing.
   *
   * @param ack {@link io.plainroute.netlink.nl.Netlink#NLM_F_ACK} to have success acknowledged, else 0
   */
  static void write(MessageWriter writer, RouteChange change, int seq, int ack) {
    Route route = change.route();
    int start = writer.begin(type(change), NLM_F_REQUEST | ack | modifiers(change), seq);
    RtMsg.write(writer.buffer(), route.family().addressFamily(), route.destination().length(), tableField(route), route.protocol(),
        route.scope(), route.type());
    attributes(writer, route);
    writer.end(start);
  }

  /** Attribute order as ip(8) writes them, so requests compare byte for byte with its own. */
  private static void attributes(MessageWriter writer, Route route) {
    if (route.destination().length() > 0) {
      AddressAttributes.put(writer, RTA_DST, route.destination());
    }
    if (route.gatewayPrefix() != null) {
      AddressAttributes.put(writer, RTA_GATEWAY, route.gatewayPrefix());
    }
    if (route.linkIndex() != 0) {
      writer.putU32(RTA_OIF, route.linkIndex());
    }
    if (route.table() >= FIRST_LARGE_TABLE) {
      writer.putU32(RTA_TABLE, route.table());
    }
  }

  /** The table in {@code rtm_table}, or unspecified when it travels in {@code RTA_TABLE}. */
  private static int tableField(Route route) {
    return route.table() >= FIRST_LARGE_TABLE ? RT_TABLE_UNSPEC : route.table();
  }

  /** What a change does, for error messages: {@code RTM_NEWROUTE 10.1.0.0/24 via ...}. */
  static String describe(RouteChange change) {
    return (type(change) == RTM_NEWROUTE ? "RTM_NEWROUTE " : "RTM_DELROUTE ") + change.route();
  }

  /** For {@link #parseIn}: routes of every protocol. */
  static final int ANY_PROTOCOL = -1;

  /**
   * Decodes an {@code RTM_NEWROUTE} or {@code RTM_DELROUTE} message of family {@code AF_INET} or
   * {@code AF_INET6}; null for any other family (multicast routing, MPLS).
   */
  static Route parse(MessageReader message) {
    return parseIn(message, RT_TABLE_UNSPEC, ANY_PROTOCOL);
  }

  /**
   * Decodes a route message when the route is in the table and of the protocol, from its header
   * alone: tables below 256 are in {@code rtm_table}.
   *
   * @param table a table below 256, or {@code RT_TABLE_UNSPEC} for any
   * @param protocol a protocol, or {@link #ANY_PROTOCOL}
   * @return the route, or null when it is in another table, of another protocol or of a family
   *     other than IPv4 and IPv6
   */
  static Route parseIn(MessageReader message, int table, int protocol) {
    ByteBuffer buffer = message.buffer();
    int header = message.familyHeader(RtMsg.SIZE);
    int headerTable = RtMsg.u8(buffer, header + RtMsg.TABLE);
    int headerProtocol = RtMsg.u8(buffer, header + RtMsg.PROTOCOL);
    IpFamily family = IpFamily.ofAddressFamily(RtMsg.u8(buffer, header));
    if (family == null
        || table != RT_TABLE_UNSPEC && headerTable != table || protocol != ANY_PROTOCOL && headerProtocol != protocol) {
      return null;
    }
    int length = AddressAttributes.prefixLength(RtMsg.u8(buffer, header + RtMsg.DST_LEN), family);
    IpPrefix destination = null;
    IpPrefix gateway = null;
    int link = 0;
    int routeTable = headerTable;
    for (AttributeReader attribute = message.attributes(RtMsg.SIZE); attribute.next(); ) {
      switch (attribute.type()) {
        case RTA_DST -> destination = AddressAttributes.read(attribute, family, length);
        case RTA_GATEWAY -> gateway = AddressAttributes.read(attribute, family, family.bits());
        case RTA_OIF -> link = attribute.u32();
        case RTA_TABLE -> routeTable = attribute.u32();
        default -> { }
      }
    }
    return new Route(destination == null ? AddressAttributes.zero(family, length) : destination, gateway, link,
        headerProtocol, RtMsg.u8(buffer, header + RtMsg.SCOPE), routeTable, RtMsg.u8(buffer, header + RtMsg.TYPE));
  }

  private static int type(RouteChange change) {
    return change.kind() == RouteChange.Kind.DELETE ? RTM_DELROUTE : RTM_NEWROUTE;
  }

  private static int modifiers(RouteChange change) {
    return switch (change.kind()) {
      case ADD -> NLM_F_CREATE | NLM_F_EXCL;
      case REPLACE -> NLM_F_CREATE | NLM_F_REPLACE;
      case DELETE -> 0;
    };
  }
}
