package io.plainroute.agent;

import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.netlink.Address;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netlink.Link;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.Route;
import io.plainroute.netlink.RouteChange;
import io.plainroute.nftables.Masquerade;
import java.io.IOException;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The node's kernel as plainroute sees it: reads what is there and applies only the difference to
 * a {@link DesiredDataplane}. Touches only what plainroute owns (invariant 5): its bridge and the
 * addresses on it, routes tagged with its protocol number, its nftables table, its CNI file.
 */
final class NodeDataplane {
  private static final Logger LOG = Logger.getLogger(NodeDataplane.class);

  private final NetlinkHandle netlink;
  private final int protocol;
  private final Masquerade masquerade;
  private final CniConfigWriter cniConfig;
  /** Route destinations installed by the last pass: one missing now was deleted by someone. */
  private Set<Ipv4Prefix> installedLastPass = Set.of();
  /** The first pass configures a fresh node; only later differences are drift worth reporting. */
  private boolean configuredOnce;
  /** Failed rtnetlink requests in the current pass, for the agent's error counter. */
  private int netlinkErrors;

  NodeDataplane(NetlinkHandle netlink, int protocol, Masquerade masquerade, CniConfigWriter cniConfig) {
    this.netlink = netlink;
    this.protocol = protocol;
    this.masquerade = masquerade;
    this.cniConfig = cniConfig;
  }

  /** The interface holding {@code nodeIP}, with the networks it is attached to. */
  Optional<NodeUplink> findUplink(String nodeIP) throws NetlinkException {
    if (nodeIP == null || nodeIP.isEmpty()) {
      return Optional.empty();
    }
    Inet4Address ip = Ipv4Prefix.parseAddress(nodeIP);
    List<Address> addresses = netlink.addresses();
    Optional<Address> own = addresses.stream().filter(a -> a.local().address().equals(ip)).findFirst();
    if (own.isEmpty()) {
      return Optional.empty();
    }
    int index = own.get().linkIndex();
    Optional<Link> link = netlink.links().stream().filter(l -> l.index() == index).findFirst();
    List<String> prefixes = addresses.stream().filter(a -> a.linkIndex() == index)
        .map(a -> a.local().network().toString()).distinct().toList();
    return link.map(l -> new NodeUplink(l.index(), l.name(), l.mac(), l.mtu(), prefixes));
  }

  DataplaneReport apply(DesiredDataplane desired, Optional<NodeUplink> uplink) {
    netlinkErrors = 0;
    List<String> repairs = new ArrayList<>();
    Part bridge = bridge(desired, repairs);
    RoutesOutcome routes = routes(desired, uplink, repairs);
    Part cni = cni(desired);
    Part masq = masquerade(desired);
    if (!configuredOnce) {
      repairs.clear();
      configuredOnce = true;
    }
    repairs.forEach(r -> LOG.infof("repaired drift: %s", r));
    return new DataplaneReport(bridge, routes.part(), cni, masq, routes.installed(), desired.unreachable(), uplink, repairs.size(), netlinkErrors);
  }

  private Part bridge(DesiredDataplane desired, List<String> repairs) {
    String name = desired.bridgeName();
    try {
      Optional<Link> existing = netlink.link(name);
      if (existing.isPresent() && !"bridge".equals(existing.get().kind())) {
        return Part.failed("InterfaceNameTaken", "Interface " + name + " exists and is a " + kindOf(existing.get())
            + " link, not a bridge: remove it or choose another spec.bridgeName.");
      }
      Link link = existing.isPresent() ? existing.get() : netlink.createBridge(name);
      if (existing.isEmpty()) {
        LOG.infof("created bridge %s", name);
      }
      if (link.mtu() != desired.mtu()) {
        netlink.setMtu(link.index(), desired.mtu());
      }
      if (!link.up()) {
        netlink.setLinkUp(link.index());
        if (existing.isPresent()) {
          repairs.add("bridge " + name + " was down");
        }
      }
      Ipv4Prefix gateway = Ipv4Prefix.parse(desired.gateway());
      boolean present = false;
      for (Address address : netlink.addresses(link.index())) {
        if (address.local().equals(gateway)) {
          present = true;
        } else {
          // A gateway address of an earlier subnet (or one added by hand) would answer for a range
          // this node no longer owns.
          netlink.deleteAddress(address);
          LOG.infof("removed stale address %s from %s", address.local(), name);
        }
      }
      if (!present) {
        netlink.addAddress(new Address(link.index(), gateway));
        if (existing.isPresent() && link.up()) {
          repairs.add("gateway address " + gateway + " was missing on " + name);
        }
      }
      return Part.ok("BridgeConfigured", "Bridge " + name + " is up with " + gateway + ", MTU " + desired.mtu() + ".");
    } catch (NetlinkException e) {
      netlinkErrors++;
      return Part.failed("NetlinkError", "Could not configure bridge " + name + ": " + e.getMessage());
    }
  }

  /** How the peer routes went, and how many are in place. */
  private record RoutesOutcome(Part part, int installed) {}

  private RoutesOutcome routes(DesiredDataplane desired, Optional<NodeUplink> uplink, List<String> repairs) {
    try {
      if (!netlink.ipv4Forwarding()) {
        netlink.setIpv4Forwarding(true);
        repairs.add("IPv4 forwarding was off");
      }
      if (uplink.isEmpty()) {
        return new RoutesOutcome(Part.failed("NodeIPNotFound", "No interface of this node holds its node IP: peers cannot be routed. "
            + "Check the Node's InternalIP."), 0);
      }
      Map<Ipv4Prefix, Route> current = netlink.routes(protocol).stream()
          .collect(Collectors.toMap(Route::destination, Function.identity(), (a, b) -> a));
      Map<Ipv4Prefix, Route> wanted = desired.routes().stream()
          .map(p -> Route.via(Ipv4Prefix.parse(p.podCIDR()), Ipv4Prefix.parseAddress(p.nodeIP()), uplink.get().index(), protocol))
          .collect(Collectors.toMap(Route::destination, Function.identity(), (a, b) -> a));
      List<RouteChange> changes = new ArrayList<>();
      wanted.forEach((destination, route) -> {
        Route now = current.get(destination);
        if (now == null) {
          changes.add(RouteChange.add(route));
          if (installedLastPass.contains(destination)) {
            repairs.add("route to " + destination + " had been deleted");
          }
        } else if (!now.gateway().equals(route.gateway()) || now.linkIndex() != route.linkIndex()) {
          changes.add(RouteChange.replace(route));
        }
      });
      current.forEach((destination, route) -> {
        if (!wanted.containsKey(destination)) {
          changes.add(RouteChange.delete(route));
        }
      });
      List<RouteChange.Failure> failures = changes.isEmpty() ? List.of() : netlink.applyRoutes(changes);
      netlinkErrors += failures.size();
      Set<Ipv4Prefix> failed = failures.stream().map(f -> f.change().route().destination()).collect(Collectors.toSet());
      Set<Ipv4Prefix> nowInstalled = new HashSet<>(wanted.keySet());
      nowInstalled.removeAll(failed);
      installedLastPass = nowInstalled;
      return new RoutesOutcome(judge(desired, failures, nowInstalled.size()), nowInstalled.size());
    } catch (IOException e) {
      netlinkErrors++;
      return new RoutesOutcome(Part.failed("NetlinkError", "Could not program routes: " + e.getMessage()), installedLastPass.size());
    }
  }

  private static Part judge(DesiredDataplane desired, List<RouteChange.Failure> failures, int installed) {
    if (!failures.isEmpty()) {
      return Part.failed("RouteFailed", failures.stream().map(NodeDataplane::describe).collect(Collectors.joining("; ")));
    }
    if (!desired.unreachable().isEmpty()) {
      return Part.failed(desired.unreachable().get(0).getReason(), installed + " of " + (installed
          + desired.unreachable().size()) + " peers are routed; unreachable: " + desired.unreachable().stream()
          .map(p -> p.getNode() + " (" + p.getNodeIP() + ", " + p.getReason() + ")").collect(Collectors.joining(", "))
          + ". First: " + PeerProblems.explain(desired.unreachable().get(0)));
    }
    return Part.ok("RoutesInstalled", "Routes to all " + installed + " peers are installed.");
  }

  private Part cni(DesiredDataplane desired) {
    try {
      String gateway = desired.gateway().substring(0, desired.gateway().indexOf('/'));
      boolean written = cniConfig.write(new CniConfig(desired.bridgeName(), desired.mtu(), Ipv4Prefix.parse(desired.podCIDR()),
          Ipv4Prefix.parseAddress(gateway)));
      return Part.ok(written ? "ConfigWritten" : "ConfigUpToDate", "CNI config " + cniConfig.file() + " matches this node's subnet.");
    } catch (IOException e) {
      return Part.failed("WriteFailed", "Could not write " + cniConfig.file() + ": " + e.getMessage());
    }
  }

  private Part masquerade(DesiredDataplane desired) {
    try {
      if (desired.masquerade()) {
        masquerade.apply(desired.clusterCIDRs().stream().map(Ipv4Prefix::parse).toList(), desired.bridgeName());
        return Part.ok("MasqueradeInstalled", "Pod traffic leaving " + String.join(", ", desired.clusterCIDRs()) + " is masqueraded.");
      }
      masquerade.remove();
      return Part.ok("MasqueradeDisabled", "spec.masquerade is false: no masquerade rule.");
    } catch (IOException e) {
      return Part.failed("NftablesError", "Could not program the masquerade rule: " + e.getMessage());
    }
  }

  private static String describe(RouteChange.Failure failure) {
    NetlinkException error = failure.error();
    String route = failure.change().route().destination().toString();
    if ("EEXIST".equals(error.errnoName())) {
      return "a route to " + route + " that plainroute does not own is in the way: remove it (ip route del " + route + ")";
    }
    return route + ": " + error.getMessage();
  }

  private static String kindOf(Link link) {
    return link.kind().isEmpty() ? "plain" : link.kind();
  }
}
