package io.plainroute.netlink;

import io.plainroute.netlink.nl.Rtnetlink;
import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * A route of either family with a single next hop: a value, compared field by field.
 *
 * <p>The gateway is kept as a prefix of full length (null for none), so that a dump of thousands
 * of routes creates neither {@link Optional}s nor addresses; {@link #gateway()} makes them when asked.
 */
public final class Route {
  /** The table that {@code ip route} shows and that {@link #via} and {@link #onLink} put routes in. */
  public static final int MAIN_TABLE = Rtnetlink.RT_TABLE_MAIN;

  private final IpPrefix destination;
  private final IpPrefix gateway;
  private final int linkIndex;
  private final int protocol;
  private final int scope;
  private final int table;
  private final int type;

  /**
   * @param destination destination prefix; its host bits must be zero for the kernel to accept it
   * @param gateway next hop of the destination's family, absent for a route straight onto a link
   * @param linkIndex output link index ({@code RTA_OIF}), 0 to let the kernel resolve the gateway
   * @param protocol {@code RTPROT_*} or a routing daemon's own number: who owns the route
   * @param scope {@code RT_SCOPE_*} (IPv6 routes are always {@code RT_SCOPE_UNIVERSE})
   * @param table {@code RT_TABLE_MAIN} or another table id
   * @param type {@code RTN_*}, usually {@code RTN_UNICAST}
   */
  public Route(IpPrefix destination, Optional<? extends InetAddress> gateway, int linkIndex, int protocol, int scope,
      int table, int type) {
    this(destination, Objects.requireNonNull(gateway, "gateway").map(IpPrefix::host).orElse(null), linkIndex,
        protocol, scope, table, type);
  }

  /** With the gateway as a full-length prefix, null for none. */
  Route(IpPrefix destination, IpPrefix gateway, int linkIndex, int protocol, int scope, int table, int type) {
    this.destination = Objects.requireNonNull(destination, "destination");
    if (gateway != null && gateway.family() != destination.family()) {
      throw new IllegalArgumentException("route to " + destination + " via " + gateway.address().getHostAddress()
          + ": the next hop must be of the destination's family (" + destination.family() + ")");
    }
    this.gateway = gateway;
    this.linkIndex = linkIndex;
    this.protocol = protocol;
    this.scope = scope;
    this.table = table;
    this.type = type;
  }

  /**
   * A main-table unicast route through a gateway, as in
   * {@code ip route add 10.244.3.0/24 via 192.168.1.3 [dev eth0] proto 200}.
   *
   * @param linkIndex output link, or 0 to let the kernel find the link that reaches the gateway
   */
  public static Route via(IpPrefix destination, InetAddress gateway, int linkIndex, int protocol) {
    return new Route(destination, IpPrefix.host(gateway), linkIndex, protocol, Rtnetlink.RT_SCOPE_UNIVERSE,
        MAIN_TABLE, Rtnetlink.RTN_UNICAST);
  }

  /**
   * A main-table unicast route straight onto a link: {@code ip route add 10.244.3.0/24 dev br0 proto 200}.
   * Scope link for IPv4; IPv6 has no route scopes and the kernel reports universe for every route.
   */
  public static Route onLink(IpPrefix destination, int linkIndex, int protocol) {
    int scope = destination.family() == IpFamily.IPV4 ? Rtnetlink.RT_SCOPE_LINK : Rtnetlink.RT_SCOPE_UNIVERSE;
    return new Route(destination, (IpPrefix) null, linkIndex, protocol, scope, MAIN_TABLE, Rtnetlink.RTN_UNICAST);
  }

  public IpPrefix destination() {
    return destination;
  }

  /** The destination's family, which the gateway shares. */
  public IpFamily family() {
    return destination.family();
  }

  /** The next hop, absent for a route straight onto a link. */
  public Optional<InetAddress> gateway() {
    return gateway == null ? Optional.empty() : Optional.of(gateway.address());
  }

  /** The next hop as a full-length prefix, null for none. */
  IpPrefix gatewayPrefix() {
    return gateway;
  }

  public int linkIndex() {
    return linkIndex;
  }

  public int protocol() {
    return protocol;
  }

  public int scope() {
    return scope;
  }

  public int table() {
    return table;
  }

  public int type() {
    return type;
  }

  /**
   * Whether an installed route is this one. A gateway or link left unset here matches any,
   * since the kernel reports the link it resolved for a gateway.
   */
  boolean isSatisfiedBy(Route installed) {
    return destination.equals(installed.destination)
        && (gateway == null || gateway.equals(installed.gateway))
        && (linkIndex == 0 || linkIndex == installed.linkIndex)
        && protocol == installed.protocol && scope == installed.scope && table == installed.table
        && type == installed.type;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Route route && destination.equals(route.destination)
        && Objects.equals(gateway, route.gateway)
        && linkIndex == route.linkIndex && protocol == route.protocol && scope == route.scope
        && table == route.table && type == route.type;
  }

  @Override
  public int hashCode() {
    return Objects.hash(destination, gateway, linkIndex, protocol, scope, table, type);
  }

  /** In {@code ip route} syntax, with numbers: {@code 10.1.0.0/24 via 10.0.0.2 dev 3 proto 200 ...}. */
  @Override
  public String toString() {
    return destination + (gateway == null ? "" : " via " + IpPrefix.format(gateway.address()))
        + (linkIndex == 0 ? "" : " dev " + linkIndex) + " proto " + protocol + " scope " + scope
        + " table " + table + " type " + type;
  }
}
