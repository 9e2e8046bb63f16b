package io.plainroute.agent;

import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.RouteChange;
import io.plainroute.nftables.Masquerade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
  /** The uplink and node IP of the last pass: their links' and addresses' changes need a pass. */
  private volatile Optional<NodeUplink> uplink = Optional.empty();
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

  DataplaneReport apply(DesiredDataplane desired, Optional<NodeUplink> uplink, NodeInterfaces interfaces) {
    lastDesired = desired;
    this.uplink = uplink;
    List<String> repairs = new ArrayList<>();
    Part bridgePart = bridge.ensure(desired, interfaces, repairs);
    int netlinkErrors = Bridge.NETLINK_ERROR.equals(bridgePart.reason()) ? 1 : 0;
    RoutesOutcome routed = routes(desired, uplink, repairs);
    netlinkErrors += routed.netlinkErrors();
    Part cni = cni(desired);
    Part masq = masquerade(desired);
    if (!configuredOnce) {
      repairs.clear();
      configuredOnce = true;
    }
    repairs.forEach(r -> LOG.infof("repaired drift: %s", r));
    return new DataplaneReport(bridgePart, routed.part(), cni, masq, routed.installed(), desired.unreachable(), uplink,
        repairs.size(), netlinkErrors);
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
    return Reaction.PASS; // events lost: only a pass knows what changed
  }

  private boolean isUplink(int linkIndex) {
    return uplink.map(u -> u.index() == linkIndex).orElse(false);
  }

  /** An address of the uplink, or the node IP appearing anywhere (the uplink may have moved). */
  private boolean concernsUplink(NetlinkEvent.AddressChanged changed) {
    DesiredDataplane desired = lastDesired;
    return isUplink(changed.address().linkIndex())
        || desired == null
        || desired.nodeIP().map(ip -> ip.equals(changed.address().local().address())).orElse(false);
  }

  /** How the peer routes went, how many are in place, and how many requests failed. */
  private record RoutesOutcome(Part part, int installed, int netlinkErrors) {}

  private RoutesOutcome routes(DesiredDataplane desired, Optional<NodeUplink> uplink, List<String> repairs) {
    Part forwarded;
    try {
      forwarded = forwarding.ensure(forwardingInterfaces(), repairs);
    } catch (IOException e) {
      forwarded = Part.failed(Forwarding.DISABLED, "Could not read whether IPv4 forwarding is on: " + e.getMessage());
    }
    RoutesOutcome routed = peerRoutes(desired, uplink, repairs);
    if (forwarded.ok()) {
      return routed;
    }
    // Installed regardless: pods work the moment someone turns forwarding on.
    return new RoutesOutcome(Part.failed(forwarded.reason(), forwarded.message() + " " + routed.part().message()),
        routed.installed(), routed.netlinkErrors());
  }

  /** The interfaces whose own forwarding matters: the uplink (once found) and the bridge. */
  List<String> forwardingInterfaces() {
    List<String> names = new ArrayList<>();
    uplink.ifPresent(u -> names.add(u.name()));
    DesiredDataplane desired = lastDesired;
    if (desired != null) {
      names.add(desired.bridgeName());
    }
    return names;
  }

  /** Whether each forwarding switch of the node is on, for a watch between passes. */
  java.util.Map<Forwarding.Switch, Boolean> forwardingState() throws IOException {
    return forwarding.read(forwardingInterfaces());
  }

  private RoutesOutcome peerRoutes(DesiredDataplane desired, Optional<NodeUplink> uplink, List<String> repairs) {
    try {
      if (uplink.isEmpty()) {
        routes.clear();
        return new RoutesOutcome(Part.failed("NodeIPNotFound", "No interface of this node holds its node IP: peers cannot be routed. "
            + "Check the Node's InternalIP."), 0, 0);
      }
      RouteTable.Outcome outcome = routes.sync(desired.routes(), uplink.get().index(), repairs);
      return new RoutesOutcome(judge(desired, outcome.failures(), outcome.installed()), outcome.installed(), outcome.failures().size());
    } catch (IOException e) {
      return new RoutesOutcome(Part.failed("NetlinkError", "Could not program routes: " + e.getMessage()), routes.installed(), 1);
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
      boolean written = cniConfig.write(new CniConfig(desired.bridgeName(), desired.mtu(), desired.podCIDR(),
          desired.gateway().address()));
      return Part.ok(written ? "ConfigWritten" : "ConfigUpToDate", "CNI config " + cniConfig.file() + " matches this node's subnet.");
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
