package io.plainroute.netlink;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.Optional;

/**
 * An IPv4 route with a single next hop.
 *
 * @param destination destination prefix; its host bits must be zero for the kernel to accept it
 * @param gateway next hop, absent for a route straight onto a link
 * @param linkIndex output link index ({@code RTA_OIF}), 0 to let the kernel resolve the gateway
 * @param protocol {@code RTPROT_*} or a routing daemon's own number: who owns the route
 * @param scope {@code RT_SCOPE_*}
 * @param table {@code RT_TABLE_MAIN} or another table id
 * @param type {@code RTN_*}, usually {@code RTN_UNICAST}
 */
public record Route(Ipv4Prefix destination, Optional<Inet4Address> gateway, int linkIndex, int protocol, int scope,
    int table, int type) {

  public Route {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(gateway, "gateway");
  }

  /**
   * A main-table unicast route through a gateway, as in
   * {@code ip route add 10.244.3.0/24 via 192.168.1.3 [dev eth0] proto 200}.
   *
   * @param linkIndex output link, or 0 to let the kernel find the link that reaches the gateway
   */
  public static Route via(Ipv4Prefix destination, Inet4Address gateway, int linkIndex, int protocol) {
    return new Route(destination, Optional.of(gateway), linkIndex, protocol, Rtnetlink.RT_SCOPE_UNIVERSE,
        Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST);
  }

  /** A main-table unicast route straight onto a link: {@code ip route add 10.244.3.0/24 dev br0 proto 200}. */
  public static Route onLink(Ipv4Prefix destination, int linkIndex, int protocol) {
    return new Route(destination, Optional.empty(), linkIndex, protocol, Rtnetlink.RT_SCOPE_LINK,
        Rtnetlink.RT_TABLE_MAIN, Rtnetlink.RTN_UNICAST);
  }

  /**
   * Whether an installed route is this one. A gateway or link left unset here matches any,
   * since the kernel reports the link it resolved for a gateway.
   */
  boolean isSatisfiedBy(Route installed) {
    return destination.equals(installed.destination)
        && (gateway.isEmpty() || gateway.equals(installed.gateway))
        && (linkIndex == 0 || linkIndex == installed.linkIndex)
        && protocol == installed.protocol && scope == installed.scope && table == installed.table
        && type == installed.type;
  }

  /** In {@code ip route} syntax, with numbers: {@code 10.1.0.0/24 via 10.0.0.2 dev 3 proto 200 ...}. */
  @Override
  public String toString() {
    return destination + gateway.map(g -> " via " + g.getHostAddress()).orElse("")
        + (linkIndex == 0 ? "" : " dev " + linkIndex) + " proto " + protocol + " scope " + scope
        + " table " + table + " type " + type;
  }
}
