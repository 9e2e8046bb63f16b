package io.plainroute.agent;

import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What the node's kernel should hold, computed from the API objects alone (pure: no I/O), so the
 * decisions that matter — which peers get a route, which cannot be reached — are unit-tested.
 * This is the edge where the API's strings become typed values: everything past it works with
 * prefixes and addresses of a known family, never with text.
 *
 * <p>Each family is handled on its own: this node's subnet, gateway and node address of a family
 * ({@code podCIDRs[i]}, {@code gateways[i]}, {@code nodeIPs[i]}; objects written before the lists
 * existed have only {@code podCIDR}/{@code gateway}/{@code nodeIP}, read as one-entry lists), and
 * one route per peer per family via that peer's node address of the same family.
 *
 * @param bridgeName the bridge pods hang off
 * @param mtu the bridge's and pods' MTU (the uplink's when the ClusterNetwork says 0)
 * @param subnets this node's subnet of each family, primary first
 * @param routes one per reachable peer per family, sorted by node name then family
 * @param problems peers plain routing cannot reach in a family, with the reason
 * @param masquerade whether pod traffic leaving the pod ranges is masqueraded
 * @param podRanges every range pods' addresses come from: the cluster ranges, and each node subnet
 *     outside them (held from a range that was since removed or replaced). Masquerade covers
 *     them all: traffic between them keeps its source, traffic from them to elsewhere does not.
 */
public record DesiredDataplane(
    String bridgeName,
    int mtu,
    List<PodSubnet> subnets,
    List<PeerRoute> routes,
    List<PeerProblem> problems,
    boolean masquerade,
    List<IpPrefix> podRanges) {

  static final String PEER_NOT_ON_LINK = "PeerNotOnLink";
  static final String NO_NODE_IP = "NoNodeIP";
  static final String INVALID_POD_CIDR = "InvalidPodCIDR";
  static final String SAME_NODE_IP = "SameNodeIP";

  /** The primary family's subnet. */
  public IpPrefix podCIDR() {
    return subnets.get(0).podCIDR();
  }

  /** The primary family's gateway, with the subnet's prefix length. */
  public IpPrefix gateway() {
    return subnets.get(0).gateway();
  }

  /** The primary family's node address. */
  public Optional<InetAddress> nodeIP() {
    return subnets.get(0).nodeIP();
  }

  /** The families this node has a subnet of, primary first. */
  public List<IpFamily> families() {
    return subnets.stream().map(PodSubnet::family).toList();
  }

  /** The unreachable peers as status shows them. */
  public List<UnreachablePeer> unreachable() {
    return problems.stream().map(PeerProblem::peer).toList();
  }

  /**
   * This node's subnet of each family, read from its own spec.
   *
   * @throws IllegalArgumentException when the spec does not hold a subnet and a gateway of a
   *     family (the controller writes them, so only a hand edit gets here)
   */
  static List<PodSubnet> subnets(NodeNetworkSpec own) {
    List<String> cidrs = listOr(own.getPodCIDRs(), own.getPodCIDR());
    List<String> gateways = listOr(own.getGateways(), own.getGateway());
    List<String> nodeIPs = listOr(own.getNodeIPs(), own.getNodeIP());
    List<PodSubnet> subnets = new ArrayList<>();
    for (int i = 0; i < cidrs.size(); i++) {
      String field = own.getPodCIDRs() == null ? "spec.podCIDR" : "spec.podCIDRs[" + i + "]";
      String cidr = cidrs.get(i);
      IpPrefix podCIDR = network(cidr).orElseThrow(() -> new IllegalArgumentException(field + " '" + cidr
          + "' of this node's NodeNetwork is not a network such as 10.244.1.0/24 or fd00:10:244:1::/64"));
      String gatewayField = own.getGateways() == null ? "spec.gateway" : "spec.gateways[" + i + "]";
      String gatewayText = i < gateways.size() ? gateways.get(i) : null;
      IpPrefix gateway = address(gatewayText).map(a -> IpPrefix.of(a, podCIDR.length()))
          .filter(g -> podCIDR.covers(g) && !g.equals(podCIDR))
          .orElseThrow(() -> new IllegalArgumentException(gatewayField + " '" + gatewayText
              + "' of this node's NodeNetwork is not an address inside " + podCIDR));
      if (subnets.stream().anyMatch(s -> s.family() == podCIDR.family())) {
        throw new IllegalArgumentException(field + " '" + cidr + "' is a second " + podCIDR.family()
            + " subnet: a node has at most one subnet per family");
      }
      Optional<InetAddress> nodeIP = i < nodeIPs.size() ? address(nodeIPs.get(i))
          .filter(a -> IpPrefix.host(a).family() == podCIDR.family()) : Optional.empty();
      subnets.add(new PodSubnet(podCIDR, gateway, nodeIP));
    }
    if (subnets.isEmpty()) {
      throw new IllegalArgumentException("spec.podCIDR of this node's NodeNetwork is empty");
    }
    return List.copyOf(subnets);
  }

  /** A single-stack node's dataplane with the primary family's uplink, and no earlier routes to keep. */
  public static DesiredDataplane of(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, Optional<NodeUplink> uplink) {
    List<PodSubnet> subnets = subnets(own);
    return of(cluster, own, peers, new NodeUplinks(uplink.map(u -> Map.of(subnets.get(0).family(), u)).orElse(Map.of())),
        List.of(), List.of());
  }

  /**
   * @param own this node's NodeNetwork spec
   * @param peers every other NodeNetwork
   * @param uplinks the interface holding this node's IP of each family, where found
   * @param earlier the routes the last pass wanted
   * @param claims every SubnetClaim: a route of {@code earlier} to a peer whose NodeNetwork is gone
   *     stays while that peer's claim on the subnet stands. A NodeNetwork deleted by hand is
   *     recreated by the controller with the same subnet within a second; its node still holds
   *     the subnet and its pods still use it, so no peer's route should move meanwhile. A node
   *     that leaves loses its claim right after its NodeNetwork, and the route goes then.
   * @throws IllegalArgumentException see {@link #subnets}
   */
  static DesiredDataplane of(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, NodeUplinks uplinks,
      List<PeerRoute> earlier, List<SubnetClaim> claims) {
    List<PodSubnet> subnets = subnets(own);
    Optional<NodeUplink> primaryUplink = uplinks.first(subnets);
    int mtu = cluster.getMtu() != null && cluster.getMtu() > 0 ? cluster.getMtu() : primaryUplink.map(NodeUplink::mtu).orElse(1500);
    Map<IpFamily, Optional<InetAddress>> ownIPs = new EnumMap<>(IpFamily.class);
    subnets.forEach(s -> ownIPs.put(s.family(), s.nodeIP()));
    List<PeerRoute> routes = new ArrayList<>();
    List<PeerProblem> problems = new ArrayList<>();
    peers.stream().sorted(Comparator.comparing(nn -> nn.getMetadata().getName())).forEach(peer -> {
      String name = peer.getMetadata().getName();
      NodeNetworkSpec spec = peer.getSpec();
      List<String> cidrs = spec == null ? List.of() : listOr(spec.getPodCIDRs(), spec.getPodCIDR());
      List<String> nodeIPs = spec == null ? List.of() : listOr(spec.getNodeIPs(), spec.getNodeIP());
      if (cidrs.isEmpty()) {
        problems.add(problem(subnets.get(0).family(), name, null, INVALID_POD_CIDR));
      }
      for (int i = 0; i < cidrs.size(); i++) {
        Optional<IpPrefix> subnet = network(cidrs.get(i));
        String nodeIPText = i < nodeIPs.size() ? nodeIPs.get(i) : null;
        IpFamily family = subnet.map(IpPrefix::family).orElse(subnets.get(0).family());
        Optional<InetAddress> next = address(nodeIPText).filter(a -> IpPrefix.host(a).family() == family);
        Optional<NodeUplink> uplink = uplinks.of(family);
        String problem = subnet.isEmpty() ? INVALID_POD_CIDR
            : next.isEmpty() ? NO_NODE_IP
            : next.equals(ownIPs.getOrDefault(family, Optional.empty())) ? SAME_NODE_IP
            : !uplink.map(u -> u.isOnLink(next.get())).orElse(false) ? PEER_NOT_ON_LINK
            : null;
        if (problem == null) {
          routes.add(new PeerRoute(name, subnet.get(), next.get()));
        } else {
          problems.add(problem(family, name, nodeIPText, problem));
        }
      }
    });
    Set<String> present = peers.stream().map(nn -> nn.getMetadata().getName()).collect(Collectors.toSet());
    earlier.stream().filter(route -> !present.contains(route.node()) && isClaimed(route, claims)).forEach(routes::add);
    routes.sort(Comparator.comparing(PeerRoute::node).thenComparing(PeerRoute::family));
    List<IpPrefix> podRanges = new ArrayList<>(cluster.getClusterCIDRs().stream().map(cidr -> network(cidr).orElseThrow(
        () -> new IllegalArgumentException("spec.clusterCIDRs entry '" + cidr + "' is not a network"))).toList());
    List<IpPrefix> clusterRanges = List.copyOf(podRanges);
    Stream.concat(subnets.stream().map(PodSubnet::podCIDR), peers.stream().map(NodeNetwork::getSpec).filter(Objects::nonNull)
            .flatMap(spec -> listOr(spec.getPodCIDRs(), spec.getPodCIDR()).stream()).map(DesiredDataplane::network)
            .flatMap(Optional::stream))
        .filter(subnet -> clusterRanges.stream().noneMatch(range -> range.covers(subnet)))
        .distinct().sorted(Comparator.comparing(IpPrefix::family).thenComparing(IpPrefix::toString)).forEach(podRanges::add);
    return new DesiredDataplane(cluster.getBridgeName(), mtu, subnets, List.copyOf(routes),
        List.copyOf(problems), Boolean.TRUE.equals(cluster.getMasquerade()), List.copyOf(podRanges));
  }

  /** The list when present, else the single value as a one-entry list (objects from before the lists). */
  private static List<String> listOr(List<String> list, String single) {
    if (list != null && !list.isEmpty()) {
      return list;
    }
    return single == null ? List.of() : List.of(single);
  }

  private static boolean isClaimed(PeerRoute route, List<SubnetClaim> claims) {
    return claims.stream().map(SubnetClaim::getSpec).filter(Objects::nonNull)
        .anyMatch(claim -> route.node().equals(claim.getNodeName()) && network(claim.getCidr()).equals(Optional.of(route.podCIDR())));
  }

  /** A network such as 10.244.1.0/24 or fd00:10:244:1::/64 (host bits zero), or empty when the text is not one. */
  private static Optional<IpPrefix> network(String cidr) {
    try {
      return Optional.ofNullable(cidr).map(IpPrefix::parse).filter(IpPrefix::isNetwork);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<InetAddress> address(String text) {
    try {
      return Optional.ofNullable(text).filter(d -> !d.isEmpty()).map(IpPrefix::parseAddress);
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static PeerProblem problem(IpFamily family, String node, String nodeIP, String reason) {
    UnreachablePeer peer = new UnreachablePeer();
    peer.setNode(node);
    peer.setNodeIP(nodeIP);
    peer.setReason(reason);
    return new PeerProblem(family, peer);
  }
}
