package io.plainroute.agent;

import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.netlink.Address;
import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import io.plainroute.netlink.Ipv6Prefix;
import io.plainroute.netlink.Link;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * The bridge pods hang off: the link itself (created, up, at the desired MTU), its gateway
 * address of each family (IPv6 without duplicate address detection, on a bridge whose IPv6 is
 * on), and no other address (a gateway of an earlier subnet would answer for a range this node no
 * longer owns) but the IPv6 link-local one the kernel gives every link. A pass makes it so; between passes the kernel's notifications about it
 * are judged here, and what can be put back at once (the bridge set down, the gateway address
 * removed) is put back from the last desired state without waiting for a pass.
 */
final class Bridge {
  private static final Logger LOG = Logger.getLogger(Bridge.class);
  static final String NETLINK_ERROR = "NetlinkError";
  static final String IPV6_DISABLED = "IPv6Disabled";

  private final NetlinkHandle netlink;
  /** The bridge as the last pass left it; empty before the first pass or after a failed one. */
  private volatile Optional<Configured> configured = Optional.empty();
  /**
   * The links seen attached to the bridge (pods' host ends), kept when the bridge goes: deleting a
   * bridge detaches its ports first, and a bridge created again must get them back. A port leaves
   * this set only when a pass no longer finds it.
   */
  private final Set<Integer> ports = new HashSet<>();

  /** What a pass set up: the fast path repairs towards this. */
  private record Configured(String name, int index, List<IpPrefix> gateways, int mtu) {}

  private final Ipv6Switch ipv6;

  Bridge(NetlinkHandle netlink) {
    this.netlink = netlink;
    this.ipv6 = new Ipv6Switch(netlink);
  }

  /** Makes the bridge as desired; {@code repairs} gets what someone else had changed. */
  synchronized Part ensure(DesiredDataplane desired, NodeInterfaces interfaces, List<String> repairs) {
    String name = desired.bridgeName();
    configured = Optional.empty();
    try {
      Optional<Link> existing = interfaces.link(name);
      if (existing.isPresent() && !"bridge".equals(existing.get().kind())) {
        return Part.failed("InterfaceNameTaken", "Interface " + name + " exists and is a " + kindOf(existing.get())
            + " link, not a bridge: remove it or choose another spec.bridgeName.");
      }
      Link link = existing.isPresent() ? existing.get() : netlink.createBridge(name);
      if (existing.isEmpty()) {
        LOG.infof("created bridge %s", name);
      }
      reattachPorts(link, interfaces, repairs);
      if (link.mtu() != desired.mtu()) {
        netlink.setMtu(link.index(), desired.mtu());
      }
      if (!link.up()) {
        netlink.setLinkUp(link.index());
        if (existing.isPresent()) {
          repairs.add("bridge " + name + " was down");
        }
      }
      List<IpPrefix> gateways = desired.subnets().stream().map(PodSubnet::gateway).toList();
      if (desired.families().contains(IpFamily.IPV6) && ipv6.enable(name)) {
        repairs.add("IPv6 was disabled on " + name);
      }
      Set<IpPrefix> present = new HashSet<>();
      for (Address address : existing.isPresent() ? interfaces.addresses(link.index()) : List.<Address>of()) {
        if (gateways.contains(address.local())) {
          present.add(address.local());
        } else if (!isLinkLocal(address.local())) {
          netlink.deleteAddress(address);
          LOG.infof("removed stale address %s from %s", address.local(), name);
        }
      }
      for (IpPrefix gateway : gateways) {
        if (!present.contains(gateway)) {
          addGateway(link.index(), gateway);
          if (existing.isPresent() && link.up()) {
            repairs.add("gateway address " + gateway + " was missing on " + name);
          }
        }
      }
      configured = Optional.of(new Configured(name, link.index(), gateways, desired.mtu()));
      return Part.ok("BridgeConfigured", "Bridge " + name + " is up with " + gateways.stream().map(Object::toString)
          .collect(Collectors.joining(" and ")) + ", MTU " + desired.mtu() + ".");
    } catch (NetlinkException e) {
      return Part.failed(NETLINK_ERROR, "Could not configure bridge " + name + ": " + e.getMessage());
    } catch (java.io.IOException e) {
      return Part.failed(IPV6_DISABLED, "Could not turn IPv6 on on bridge " + name + " (" + e.getMessage()
          + "): its IPv6 gateway cannot be set. Turn it on on the node: sysctl -w net.ipv6.conf." + name + ".disable_ipv6=0.");
    }
  }

  /** IPv6 without duplicate address detection: the gateway is unique by allocation and must answer at once. */
  private void addGateway(int linkIndex, IpPrefix gateway) throws NetlinkException {
    if (gateway.family() == IpFamily.IPV6) {
      netlink.addAddressWithoutDad(new Address(linkIndex, gateway));
    } else {
      netlink.addAddress(new Address(linkIndex, gateway));
    }
  }

  /** The kernel's own fe80:: address of the link: not plainroute's, never removed. */
  private static boolean isLinkLocal(IpPrefix address) {
    return address instanceof Ipv6Prefix v6 && v6.isLinkLocal();
  }

  /** Whether {@code linkIndex} is the bridge the last pass configured. */
  boolean isBridge(int linkIndex) {
    return configured.map(c -> c.index() == linkIndex).orElse(false);
  }

  /**
   * Keeps the set of ports up to date from the pass's snapshot and attaches again every known port
   * that lost its bridge (the bridge was deleted and is new, or a port was taken off it): a pod
   * whose host end hangs loose is cut off while everything else looks fine.
   */
  private void reattachPorts(Link bridge, NodeInterfaces interfaces, List<String> repairs) throws NetlinkException {
    ports.retainAll(interfaces.links().stream().map(Link::index).collect(Collectors.toSet()));
    for (Link link : interfaces.links()) {
      if (link.master() == bridge.index()) {
        ports.add(link.index());
      } else if (link.master() == 0 && ports.contains(link.index())) {
        netlink.setMaster(link.index(), bridge.index());
        repairs.add(link.name() + " was detached from " + bridge.name());
      } else {
        ports.remove(link.index());
      }
    }
  }

  /**
   * Reacts to a change of a link: the bridge set down is set up again at once; the bridge deleted,
   * renamed or at another MTU needs a pass; other links are not the bridge's business.
   */
  synchronized Reaction onLink(Link link, boolean deleted) throws NetlinkException {
    if (configured.isEmpty()) {
      return Reaction.PASS;
    }
    Configured bridge = configured.get();
    boolean isBridge = link.index() == bridge.index();
    // Ports that are gone leave the set at the next pass: a port taken off the bridge is
    // announced as a deletion too (RTM_DELLINK of family AF_BRIDGE), just before the bridge's own.
    if (!deleted && link.master() == bridge.index()) {
      ports.add(link.index());
    }
    if (!isBridge) {
      // A link of the bridge's name that is not the bridge we configured: it was replaced.
      return link.name().equals(bridge.name()) ? Reaction.PASS : Reaction.IGNORE;
    }
    if (deleted || !link.name().equals(bridge.name())) {
      configured = Optional.empty();
      return Reaction.PASS;
    }
    if (link.mtu() != bridge.mtu()) {
      return Reaction.PASS;
    }
    if (!link.up()) {
      netlink.setLinkUp(bridge.index());
      LOG.infof("repaired drift: bridge %s was down", bridge.name());
      return Reaction.REPAIRED;
    }
    return Reaction.IGNORE;
  }

  /**
   * Reacts to a change of an address: the gateway address removed from the bridge is added again
   * at once; any other address appearing on the bridge needs a pass (which removes it).
   */
  synchronized Reaction onAddress(Address address, boolean deleted) throws NetlinkException {
    if (configured.isEmpty()) {
      return Reaction.PASS;
    }
    Configured bridge = configured.get();
    if (address.linkIndex() != bridge.index()) {
      return Reaction.IGNORE;
    }
    boolean isGateway = bridge.gateways().contains(address.local());
    if (deleted && isGateway) {
      try {
        addGateway(bridge.index(), address.local());
      } catch (NetlinkException e) {
        // EEXIST: put back by a pass meanwhile; anything else: the pass will say what is wrong.
        return Reaction.PASS;
      }
      LOG.infof("repaired drift: gateway address %s was missing on %s", address.local(), bridge.name());
      return Reaction.REPAIRED;
    }
    return deleted || isGateway || isLinkLocal(address.local()) ? Reaction.IGNORE : Reaction.PASS;
  }

  private static String kindOf(Link link) {
    return link.kind().isEmpty() ? "plain" : link.kind();
  }
}
