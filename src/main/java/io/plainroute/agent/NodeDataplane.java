package io.plainroute.agent;

import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.Ipv6Prefix;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.RouteChange;
import io.plainroute.nftables.Masquerade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The node's kernel as plainroute sees it. A pass reads the node's interfaces once and hands the
 * {@link DesiredDataplane} to each part — {@link Bridge}, {@link Forwarding}, {@link RouteTable},
 * the masquerade rule, the CNI file — which applies only the difference; between passes it routes
 * kernel notifications to the part they concern ({@link #onEvent}). Touches only what plainroute
 * owns (invariant 5).
 */
final class NodeDataplane {
  private static final Logger LOG = Logger.getLogger(NodeDataplane.class);

  private final NetlinkHandle netlink;
  private final Bridge bridge;
  private final Forwarding forwarding;
  private final RouteTable routes;
  private final Masquerade masquerade;
  private final CniConfigWriter cniConfig;
  /** The uplinks and node IPs of the last pass: their links' and addresses' changes need a pass. */
  private volatile NodeUplinks uplinks = NodeUplinks.NONE;
  /** Whether the last pass found forwarding off and could not turn it on: turning it on by hand then needs a pass. */
  private volatile boolean forwardingStuck;
  private volatile DesiredDataplane lastDesired;
  /** The first pass configures a fresh node; only later differences are drift worth reporting. */
  private boolean configuredOnce;

  NodeDataplane(NetlinkHandle netlink, int protocol, Masquerade masquerade, CniConfigWriter cniConfig) {
    this.netlink = netlink;
    this.bridge = new Bridge(netlink);
    this.forwarding = new Forwarding(netlink);
    this.routes = new RouteTable(netlink, protocol);
    this.masquerade = masquerade;
    this.cniConfig = cniConfig;
  }

  /** The peer routes the last pass wanted. */
  List<PeerRoute> lastRoutes() {
    DesiredDataplane desired = lastDesired;
    return desired == null ? List.of() : desired.routes();
  }

  /** The node's links and addresses, read once for a pass. */
  NodeInterfaces interfaces() throws NetlinkException {
    return NodeInterfaces.read(netlink);
  }

  /**
   * One pass: the desired state from the API objects and the interfaces just read (each family's
   * uplink found by the node's address of that family), applied.
   *
   * @throws IllegalArgumentException when this node's own spec holds no usable subnet (see {@link DesiredDataplane#subnets})
   */
  DataplaneReport pass(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, List<SubnetClaim> claims,
      NodeInterfaces interfaces) {
    NodeUplinks found = NodeUplinks.find(DesiredDataplane.subnets(own), interfaces);
    return apply(DesiredDataplane.of(cluster, own, peers, found, lastRoutes(), claims), found, interfaces);
  }

  DataplaneReport apply(DesiredDataplane desired, NodeUplinks uplinks, NodeInterfaces interfaces) {
    lastDesired = desired;
    this.uplinks = uplinks;
    List<String> repairs = new ArrayList<>();
    Part bridgePart = bridge.ensure(desired, interfaces, repairs);
    int netlinkErrors = Bridge.NETLINK_ERROR.equals(bridgePart.reason()) ? 1 : 0;
    RoutesOutcome routed = routes(desired, uplinks, repairs);
    netlinkErrors += routed.netlinkErrors();
    Part cni = cni(desired);
    Part masq = masquerade(desired);
    if (!configuredOnce) {
      repairs.clear();
      configuredOnce = true;
    }
    repairs.forEach(r -> LOG.infof("repaired drift: %s", r));
    return new DataplaneReport(bridgePart, routed.part(), cni, masq, routed.installed(), desired.unreachable(),
        uplinks.first(desired.subnets()), repairs.size(), netlinkErrors);
  }

  /**
   * Routes a kernel notification to the part it concerns, which may repair at once what someone
   * else changed. Changes made through this agent's own socket are its own and ignored.
   */
  Reaction onEvent(NetlinkEvent event) throws NetlinkException {
    int own = netlink.portId();
    if (event instanceof NetlinkEvent.RouteChanged r) {
      return r.senderPort() == own ? Reaction.IGNORE : routes.onRoute(r.route(), r.deleted());
    }
    if (event instanceof NetlinkEvent.LinkChanged l) {
      if (l.senderPort() == own) {
        return Reaction.IGNORE;
      }
      return isUplink(l.link().index()) ? Reaction.PASS : bridge.onLink(l.link(), l.deleted());
    }
    if (event instanceof NetlinkEvent.AddressChanged a) {
      if (a.senderPort() == own) {
        return Reaction.IGNORE;
      }
      return concernsUplink(a) ? Reaction.PASS : bridge.onAddress(a.address(), a.deleted());
    }
    if (event instanceof NetlinkEvent.ForwardingChanged f) {
      return onForwarding(f);
    }
    return Reaction.PASS; // events lost: only a pass knows what changed
  }

  /**
   * A forwarding switch that matters turned off needs a pass (which turns it on again, or reports
   * it); one turned on needs a pass only when the last could not turn it on (status says Ready
   * again). The kernel announces every change of value, so nothing needs to poll the switches.
   */
  private Reaction onForwarding(NetlinkEvent.ForwardingChanged changed) {
    DesiredDataplane desired = lastDesired;
    if (desired == null || !desired.families().contains(changed.family())) {
      return Reaction.IGNORE;
    }
    boolean matters = changed.linkIndex() == NetlinkEvent.ForwardingChanged.ALL
        || changed.family() == IpFamily.IPV4 && (isUplink(changed.linkIndex()) || bridge.isBridge(changed.linkIndex()));
    if (!matters) {
      return Reaction.IGNORE;
    }
    return !changed.on() || forwardingStuck ? Reaction.PASS : Reaction.IGNORE;
  }

  private boolean isUplink(int linkIndex) {
    return uplinks.isUplink(linkIndex);
  }

  /**
   * An address of an uplink, or a node IP appearing anywhere (the uplink may have moved). The
   * kernel's own IPv6 link-local addresses (every link gets one, announced when it comes up) are
   * neither a node IP nor a network peers are on.
   */
  private boolean concernsUplink(NetlinkEvent.AddressChanged changed) {
    DesiredDataplane desired = lastDesired;
    if (changed.address().local() instanceof Ipv6Prefix v6 && v6.isLinkLocal()) {
      return false;
    }
    return isUplink(changed.address().linkIndex())
        || desired == null
        || desired.subnets().stream().anyMatch(s -> s.nodeIP().map(ip -> ip.equals(changed.address().local().address())).orElse(false));
  }

  /** How the peer routes went, how many are in place, and how many requests failed. */
  private record RoutesOutcome(Part part, int installed, int netlinkErrors) {}

  private RoutesOutcome routes(DesiredDataplane desired, NodeUplinks uplinks, List<String> repairs) {
    Part forwarded;
    try {
      forwarded = forwarding.ensure(forwardingInterfaces(), desired.families(), repairs);
    } catch (IOException e) {
      forwarded = Part.failed(Forwarding.DISABLED, "Could not read whether forwarding is on: " + e.getMessage());
    }
    forwardingStuck = !forwarded.ok();
    RoutesOutcome routed = peerRoutes(desired, uplinks, repairs);
    if (forwarded.ok()) {
      return routed;
    }
    // Installed regardless: pods work the moment someone turns forwarding on.
    return new RoutesOutcome(Part.failed(forwarded.reason(), forwarded.message() + " " + routed.part().message()),
        routed.installed(), routed.netlinkErrors());
  }

  /** The interfaces whose own forwarding matters: the uplinks (once found) and the bridge. */
  List<String> forwardingInterfaces() {
    List<String> names = new ArrayList<>();
    uplinks.all().stream().map(NodeUplink::name).distinct().forEach(names::add);
    DesiredDataplane desired = lastDesired;
    if (desired != null) {
      names.add(desired.bridgeName());
    }
    return names;
  }

  private RoutesOutcome peerRoutes(DesiredDataplane desired, NodeUplinks uplinks, List<String> repairs) {
    try {
      if (uplinks.isEmpty()) {
        routes.clear();
        return new RoutesOutcome(Part.failed("NodeIPNotFound", "No interface of this node holds its node IP: peers cannot be routed. "
            + "Check the Node's InternalIP."), 0, 0);
      }
      RouteTable.Outcome outcome = routes.sync(desired.routes(), uplinks, repairs);
      return new RoutesOutcome(judge(desired, outcome.failures(), outcome.installed()), outcome.installed(), outcome.failures().size());
    } catch (IOException e) {
      return new RoutesOutcome(Part.failed("NetlinkError", "Could not program routes: " + e.getMessage()), routes.installed(), 1);
    }
  }

  private static Part judge(DesiredDataplane desired, List<RouteChange.Failure> failures, int installed) {
    if (!failures.isEmpty()) {
      return Part.failed("RouteFailed", failures.stream().map(NodeDataplane::describe).collect(Collectors.joining("; ")));
    }
    List<PeerProblem> problems = desired.problems();
    boolean dualStack = desired.subnets().size() > 1;
    String routesOf = dualStack ? " peer routes (one per peer per family)" : " peers";
    if (!problems.isEmpty()) {
      return Part.failed(problems.get(0).peer().getReason(), installed + " of " + (installed
          + problems.size()) + routesOf + " are routed; unreachable: " + problems.stream()
          .map(p -> p.peer().getNode() + " (" + (dualStack ? p.family() + " " : "") + p.peer().getNodeIP() + ", " + p.peer().getReason() + ")")
          .collect(Collectors.joining(", "))
          + ". First: " + PeerProblems.explain(problems.get(0)));
    }
    return Part.ok("RoutesInstalled", "Routes to all " + installed + routesOf + " are installed.");
  }

  private Part cni(DesiredDataplane desired) {
    try {
      boolean written = cniConfig.write(new CniConfig(desired.bridgeName(), desired.mtu(), desired.subnets().stream()
          .map(s -> new CniConfig.Range(s.podCIDR(), s.gateway().address())).toList()));
      return Part.ok(written ? "ConfigWritten" : "ConfigUpToDate", "CNI config " + cniConfig.file() + " matches this node's "
          + (desired.subnets().size() > 1 ? "subnets." : "subnet."));
    } catch (IOException e) {
      return Part.failed("WriteFailed", "Could not write " + cniConfig.file() + ": " + e.getMessage());
    }
  }

  private Part masquerade(DesiredDataplane desired) {
    try {
      if (desired.masquerade()) {
        masquerade.apply(desired.podRanges(), desired.bridgeName());
        return Part.ok("MasqueradeInstalled", "Pod traffic leaving " + desired.podRanges().stream().map(Object::toString)
            .collect(Collectors.joining(", ")) + " is masqueraded.");
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
}
