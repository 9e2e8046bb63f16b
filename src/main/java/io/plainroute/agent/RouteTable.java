package io.plainroute.agent;

import io.plainroute.netlink.Errno;
import io.plainroute.netlink.IpPrefix;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.Route;
import io.plainroute.netlink.RouteChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * plainroute's routes to its peers' pod subnets, of both families: the main-table routes tagged
 * with its protocol number, and no others. A pass compares them with the desired ones and sends only the
 * difference, as one batch. Between passes the kernel's notifications about them are judged
 * here: one of them deleted or changed by someone else is put back at once, from the routes the
 * last pass wanted, without waiting for a pass.
 *
 * <p>A pass and a repair never interleave (both hold this object's lock), so a repair cannot
 * slip between a pass's dump and its batch.
 */
final class RouteTable {
  private static final Logger LOG = Logger.getLogger(RouteTable.class);

  private final NetlinkHandle netlink;
  private final int protocol;
  /** The routes the last pass wanted, by destination: what a repair puts back. */
  private volatile Map<IpPrefix, Route> wanted = Map.of();
  /** Destinations installed by the last pass: one missing now was deleted by someone. */
  private Set<IpPrefix> installed = Set.of();

  /**
   * What a pass did.
   *
   * @param installed how many wanted routes are in place
   * @param failures the changes the kernel refused
   */
  record Outcome(int installed, List<RouteChange.Failure> failures) {}

  RouteTable(NetlinkHandle netlink, int protocol) {
    this.netlink = netlink;
    this.protocol = protocol;
  }

  /**
   * Makes plainroute's routes exactly {@code routes}, each out of its family's uplink: adds the
   * missing ones, replaces those with another next hop, deletes those of peers that are gone.
   * A route of a family without an uplink is left out (the desired state reports those peers).
   */
  synchronized Outcome sync(List<PeerRoute> routes, NodeUplinks uplinks, List<String> repairs) throws NetlinkException {
    Map<IpPrefix, Route> want = routes.stream()
        .filter(p -> uplinks.of(p.family()).isPresent())
        .map(p -> Route.via(p.podCIDR(), p.nodeIP(), uplinks.of(p.family()).get().index(), protocol))
        .collect(Collectors.toMap(Route::destination, Function.identity(), (a, b) -> a));
    wanted = want;
    Map<IpPrefix, Route> current = netlink.routes(protocol).stream()
        .collect(Collectors.toMap(Route::destination, Function.identity(), (a, b) -> a));
    List<RouteChange> changes = new ArrayList<>();
    want.forEach((destination, route) -> {
      Route now = current.get(destination);
      if (now == null) {
        changes.add(RouteChange.add(route));
        if (installed.contains(destination)) {
          repairs.add("route to " + destination + " had been deleted");
        }
      } else if (!sameNextHop(now, route)) {
        changes.add(RouteChange.replace(route));
      }
    });
    current.forEach((destination, route) -> {
      if (!want.containsKey(destination)) {
        changes.add(RouteChange.delete(route));
      }
    });
    List<RouteChange.Failure> failures = changes.isEmpty() ? List.of() : netlink.applyRoutes(changes);
    Set<IpPrefix> failed = failures.stream().map(f -> f.change().route().destination()).collect(Collectors.toSet());
    Set<IpPrefix> nowInstalled = new HashSet<>(want.keySet());
    nowInstalled.removeAll(failed);
    installed = nowInstalled;
    return new Outcome(nowInstalled.size(), failures);
  }

  /** Forgets the wanted routes (no uplink: nothing can be routed), so no repair puts one back. */
  synchronized void clear() {
    wanted = Map.of();
  }

  /** How many routes the last pass installed. */
  synchronized int installed() {
    return installed.size();
  }

  /**
   * Reacts to a route notification that did not come from this agent's own socket: one of
   * plainroute's routes deleted is added again, one changed to another next hop is replaced
   * back; a route of plainroute's protocol that no peer wants needs a pass (which deletes it).
   * Routes of other protocols and tables are never plainroute's business.
   */
  synchronized Reaction onRoute(Route route, boolean deleted) throws NetlinkException {
    if (route.table() != Route.MAIN_TABLE) {
      return Reaction.IGNORE;
    }
    if (route.protocol() != protocol) {
      // `ip route replace <a peer's subnet> ... proto boot` takes our route's place with no
      // notification of ours going: a pass finds it in the way and says so in RoutesReady. Other
      // routes of others are none of ours.
      return !deleted && wanted.containsKey(route.destination()) ? Reaction.PASS : Reaction.IGNORE;
    }
    Route want = wanted.get(route.destination());
    if (want == null) {
      return deleted ? Reaction.IGNORE : Reaction.PASS;
    }
    if (deleted) {
      try {
        netlink.addRoute(want);
      } catch (NetlinkException e) {
        if (e.is(Errno.EEXIST)) {
          return Reaction.IGNORE;
        }
        throw e;
      }
      LOG.infof("repaired drift: route to %s had been deleted", route.destination());
      return Reaction.REPAIRED;
    }
    if (sameNextHop(route, want)) {
      return Reaction.IGNORE;
    }
    netlink.replaceRoute(want);
    LOG.infof("repaired drift: route to %s had been changed to %s", route.destination(), route);
    return Reaction.REPAIRED;
  }

  private static boolean sameNextHop(Route installed, Route wanted) {
    return installed.gateway().equals(wanted.gateway()) && installed.linkIndex() == wanted.linkIndex();
  }
}
