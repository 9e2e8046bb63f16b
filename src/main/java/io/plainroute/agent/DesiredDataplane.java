package io.plainroute.agent;

import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.netlink.Ipv4Prefix;
import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the node's kernel should hold, computed from the API objects alone (pure: no I/O), so the
 * decisions that matter — which peers get a route, which cannot be reached — are unit-tested.
 * This is the edge where the API's strings become typed values: everything past it works with
 * prefixes and addresses, never with text.
 *
 * @param bridgeName the bridge pods hang off
 * @param mtu the bridge's and pods' MTU (the uplink's when the ClusterNetwork says 0)
 * @param podCIDR this node's subnet
 * @param gateway the bridge's address with the subnet's prefix length, e.g. 10.244.1.1/24
 * @param nodeIP this node's own address, which finds the uplink
 * @param routes one per reachable peer, sorted by node name
 * @param unreachable peers plain routing cannot reach, with the reason
 * @param masquerade whether pod traffic leaving the pod ranges is masqueraded
 * @param podRanges every range pods' addresses come from: the cluster ranges, and each node subnet
 *     outside them (held from a range that was since removed or replaced). Masquerade covers
 *     them all: traffic between them keeps its source, traffic from them to elsewhere does not.
 */
public record DesiredDataplane(
    String bridgeName,
    int mtu,
    Ipv4Prefix podCIDR,
    Ipv4Prefix gateway,
    Optional<Inet4Address> nodeIP,
    List<PeerRoute> routes,
    List<UnreachablePeer> unreachable,
    boolean masquerade,
    List<Ipv4Prefix> podRanges) {

  static final String PEER_NOT_ON_LINK = "PeerNotOnLink";
  static final String NO_NODE_IP = "NoNodeIP";
  static final String INVALID_POD_CIDR = "InvalidPodCIDR";
  static final String SAME_NODE_IP = "SameNodeIP";

  /** The interface of {@code interfaces} that holds the node IP of {@code own}, if any. */
  static Optional<NodeUplink> uplink(NodeNetworkSpec own, NodeInterfaces interfaces) {
    return address(own.getNodeIP()).flatMap(interfaces::uplink);
  }

  /** {@link #of(ClusterNetworkSpec, NodeNetworkSpec, List, Optional, List, List)} with no earlier routes to keep. */
  public static DesiredDataplane of(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, Optional<NodeUplink> uplink) {
    return of(cluster, own, peers, uplink, List.of(), List.of());
  }

  /**
   * @param own this node's NodeNetwork spec (podCIDR, gateway, nodeIP)
   * @param peers every other NodeNetwork
   * @param uplink the interface holding this node's IP, if found
   * @param earlier the routes the last pass wanted
   * @param claims every SubnetClaim: a route of {@code earlier} to a peer whose NodeNetwork is gone
   *     stays while that peer's claim on the subnet stands. A NodeNetwork deleted by hand is
   *     recreated by the controller with the same subnet within a second; its node still holds
   *     the subnet and its pods still use it, so no peer's route should move meanwhile. A node
   *     that leaves loses its claim right after its NodeNetwork, and the route goes then.
   * @throws IllegalArgumentException when this node's own spec does not hold an IPv4 subnet and a
   *     gateway address (the controller writes them, so only a hand edit gets here)
   */
  public static DesiredDataplane of(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, Optional<NodeUplink> uplink,
      List<PeerRoute> earlier, List<SubnetClaim> claims) {
    int mtu = cluster.getMtu() != null && cluster.getMtu() > 0 ? cluster.getMtu() : uplink.map(NodeUplink::mtu).orElse(1500);
    Ipv4Prefix podCIDR = network(own.getPodCIDR()).orElseThrow(() -> new IllegalArgumentException(
        "spec.podCIDR '" + own.getPodCIDR() + "' of this node's NodeNetwork is not an IPv4 network such as 10.244.1.0/24"));
    Ipv4Prefix gateway = address(own.getGateway()).map(a -> new Ipv4Prefix(a, podCIDR.length())).orElseThrow(
        () -> new IllegalArgumentException("spec.gateway '" + own.getGateway() + "' of this node's NodeNetwork is not an IPv4 address"));
    Optional<Inet4Address> nodeIP = address(own.getNodeIP());
    List<PeerRoute> routes = new ArrayList<>();
    List<UnreachablePeer> unreachable = new ArrayList<>();
    peers.stream().sorted(Comparator.comparing(nn -> nn.getMetadata().getName())).forEach(peer -> {
      String name = peer.getMetadata().getName();
      NodeNetworkSpec spec = peer.getSpec();
      Optional<Ipv4Prefix> subnet = spec == null ? Optional.empty() : network(spec.getPodCIDR());
      Optional<Inet4Address> next = spec == null ? Optional.empty() : address(spec.getNodeIP());
      String problem = subnet.isEmpty() ? INVALID_POD_CIDR
          : next.isEmpty() ? NO_NODE_IP
          : next.equals(nodeIP) ? SAME_NODE_IP
          : !uplink.map(u -> u.isOnLink(next.get())).orElse(false) ? PEER_NOT_ON_LINK
          : null;
      if (problem == null) {
        routes.add(new PeerRoute(name, subnet.get(), next.get()));
      } else {
        unreachable.add(unreachable(name, spec == null ? null : spec.getNodeIP(), problem));
      }
    });
    Set<String> present = peers.stream().map(nn -> nn.getMetadata().getName()).collect(Collectors.toSet());
    earlier.stream().filter(route -> !present.contains(route.node()) && isClaimed(route, claims)).forEach(routes::add);
    routes.sort(Comparator.comparing(PeerRoute::node));
    List<Ipv4Prefix> podRanges = new ArrayList<>(cluster.getClusterCIDRs().stream().map(cidr -> network(cidr).orElseThrow(
        () -> new IllegalArgumentException("spec.clusterCIDRs entry '" + cidr + "' is not an IPv4 network"))).toList());
    List<Ipv4Prefix> clusterRanges = List.copyOf(podRanges);
    Stream.concat(Stream.of(podCIDR), peers.stream().map(NodeNetwork::getSpec).filter(Objects::nonNull)
            .map(spec -> network(spec.getPodCIDR())).flatMap(Optional::stream))
        .filter(subnet -> clusterRanges.stream().noneMatch(range -> covers(range, subnet)))
        .distinct().sorted(Comparator.comparing(Ipv4Prefix::toString)).forEach(podRanges::add);
    return new DesiredDataplane(cluster.getBridgeName(), mtu, podCIDR, gateway, nodeIP, List.copyOf(routes),
        List.copyOf(unreachable), Boolean.TRUE.equals(cluster.getMasquerade()), List.copyOf(podRanges));
  }

  private static boolean isClaimed(PeerRoute route, List<SubnetClaim> claims) {
    return claims.stream().map(SubnetClaim::getSpec).filter(Objects::nonNull)
        .anyMatch(claim -> route.node().equals(claim.getNodeName()) && network(claim.getCidr()).equals(Optional.of(route.podCIDR())));
  }

  /** Whether every address of {@code subnet} lies in {@code range}. */
  private static boolean covers(Ipv4Prefix range, Ipv4Prefix subnet) {
    return range.length() <= subnet.length() && new Ipv4Prefix(subnet.address(), range.length()).network().equals(range);
  }

  /** A network such as 10.244.1.0/24 (host bits zero), or empty when the text is not one. */
  private static Optional<Ipv4Prefix> network(String cidr) {
    try {
      return Optional.ofNullable(cidr).map(Ipv4Prefix::parse).filter(Ipv4Prefix::isNetwork);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<Inet4Address> address(String dotted) {
    try {
      return Optional.ofNullable(dotted).filter(d -> !d.isEmpty()).map(Ipv4Prefix::parseAddress);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static UnreachablePeer unreachable(String node, String nodeIP, String reason) {
    UnreachablePeer peer = new UnreachablePeer();
    peer.setNode(node);
    peer.setNodeIP(nodeIP);
    peer.setReason(reason);
    return peer;
  }
}
