package io.plainroute.agent;

import inet.ipaddr.ipv4.IPv4Address;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.ipam.Cidrs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the node's kernel should hold, computed from the API objects alone (pure: no I/O), so the
 * decisions that matter — which peers get a route, which cannot be reached — are unit-tested.
 *
 * @param bridgeName the bridge pods hang off
 * @param mtu the bridge's and pods' MTU (the uplink's when the ClusterNetwork says 0)
 * @param podCIDR this node's subnet
 * @param gateway the bridge's address with the subnet's prefix length, e.g. 10.244.1.1/24
 * @param routes one per reachable peer, sorted by node name
 * @param unreachable peers plain routing cannot reach, with the reason
 * @param masquerade whether pod traffic leaving the cluster ranges is masqueraded
 * @param clusterCIDRs the cluster ranges (masquerade exempts them)
 */
public record DesiredDataplane(
    String bridgeName,
    int mtu,
    String podCIDR,
    String gateway,
    List<PeerRoute> routes,
    List<UnreachablePeer> unreachable,
    boolean masquerade,
    List<String> clusterCIDRs) {

  static final String PEER_NOT_ON_LINK = "PeerNotOnLink";
  static final String NO_NODE_IP = "NoNodeIP";
  static final String INVALID_POD_CIDR = "InvalidPodCIDR";
  static final String SAME_NODE_IP = "SameNodeIP";

  /**
   * @param own this node's NodeNetwork spec (podCIDR, gateway, nodeIP)
   * @param peers every other NodeNetwork
   * @param uplink the interface holding this node's IP, if found
   */
  public static DesiredDataplane of(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, Optional<NodeUplink> uplink) {
    int mtu = cluster.getMtu() != null && cluster.getMtu() > 0 ? cluster.getMtu() : uplink.map(NodeUplink::mtu).orElse(1500);
    int prefixLength = Integer.parseInt(own.getPodCIDR().substring(own.getPodCIDR().indexOf('/') + 1));
    List<PeerRoute> routes = new ArrayList<>();
    List<UnreachablePeer> unreachable = new ArrayList<>();
    peers.stream().sorted(Comparator.comparing(nn -> nn.getMetadata().getName())).forEach(peer -> {
      String name = peer.getMetadata().getName();
      NodeNetworkSpec spec = peer.getSpec();
      Optional<String> problem = problemOf(spec, own, uplink);
      if (problem.isPresent()) {
        unreachable.add(unreachable(name, spec == null ? null : spec.getNodeIP(), problem.get()));
      } else {
        routes.add(new PeerRoute(name, spec.getPodCIDR(), spec.getNodeIP()));
      }
    });
    return new DesiredDataplane(cluster.getBridgeName(), mtu, own.getPodCIDR(), own.getGateway() + "/" + prefixLength,
        List.copyOf(routes), List.copyOf(unreachable), Boolean.TRUE.equals(cluster.getMasquerade()),
        List.copyOf(cluster.getClusterCIDRs()));
  }

  private static Optional<String> problemOf(NodeNetworkSpec peer, NodeNetworkSpec own, Optional<NodeUplink> uplink) {
    if (peer == null || peer.getPodCIDR() == null || !isNetwork(peer.getPodCIDR())) {
      return Optional.of(INVALID_POD_CIDR);
    }
    Optional<IPv4Address> nodeIP = Cidrs.parseAddress(peer.getNodeIP());
    if (nodeIP.isEmpty()) {
      return Optional.of(NO_NODE_IP);
    }
    if (peer.getNodeIP().equals(own.getNodeIP())) {
      return Optional.of(SAME_NODE_IP);
    }
    boolean onLink = uplink.map(u -> u.prefixes().stream().anyMatch(p -> contains(p, nodeIP.get()))).orElse(false);
    return onLink ? Optional.empty() : Optional.of(PEER_NOT_ON_LINK);
  }

  private static boolean isNetwork(String cidr) {
    try {
      Cidrs.parseNetwork(cidr);
      return true;
    } catch (Cidrs.InvalidCidrException e) {
      return false;
    }
  }

  private static boolean contains(String prefix, IPv4Address address) {
    try {
      return Cidrs.parseNetwork(prefix).contains(address);
    } catch (Cidrs.InvalidCidrException e) {
      return false;
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
