package io.plainroute.controller;

import inet.ipaddr.ipv4.IPv4Address;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.SubnetPool;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a Node says about itself that plainroute cannot use, as the Warning Events the allocator
 * records on the Node when it gives it a subnet: a spec.podCIDR that is not a free subnet of the
 * pool (kept, since Kubernetes sets it once, but not what the node's pods use) and no usable IPv4
 * address (peers cannot route the node's pods). Pure: Node and pool in, messages out.
 */
final class NodeInputProblems {
  static final String POD_CIDR_NOT_USED = "PodCIDRNotUsed";
  static final String NO_NODE_IP = "NoNodeIP";

  private NodeInputProblems() {}

  /** Why the Node's own podCIDR was not adopted, when it has one and got {@code given} instead. */
  static Optional<String> podCIDRNotUsed(Node node, SubnetPool pool, Set<IPv4Address> taken, String given, String clusterNetwork) {
    Optional<String> own = NodeAddresses.podCIDR(node);
    if (own.isEmpty() || own.get().equals(given)) {
      return Optional.empty();
    }
    String why;
    try {
      IPv4Address subnet = Cidrs.parseNetwork(own.get());
      why = pool.holds(subnet) ? (taken.contains(subnet) ? "is held by another node" : "could not be claimed")
          : pool.ranges().stream().anyMatch(r -> r.overlaps(subnet))
              ? "is not a /" + pool.subnetPrefixLength() + " of spec.clusterCIDRs"
              : "lies outside spec.clusterCIDRs";
    } catch (Cidrs.InvalidCidrException e) {
      why = "is not an IPv4 network";
    }
    return Optional.of("Node.spec.podCIDR " + own.get() + " " + why + " of ClusterNetwork " + clusterNetwork
        + ", so the pods on this node get addresses from " + given + " (its NodeNetwork) instead. Node.spec.podCIDR can only be set "
        + "once: to make them agree, drain the node, delete the Node and register it again without a podCIDR.");
  }

  /** The Node has no IPv4 address peers could route its subnet to. */
  static Optional<String> noNodeIP(Node node, String podCIDR) {
    if (NodeAddresses.nodeIP(node).isPresent()) {
      return Optional.empty();
    }
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
        : node.getStatus().getAddresses();
    String reported = addresses.stream().filter(a -> !"Hostname".equals(a.getType()))
        .map(a -> a.getType() + " " + a.getAddress()).collect(Collectors.joining(", "));
    return Optional.of("Node " + node.getMetadata().getName() + " reports no unicast IPv4 InternalIP or ExternalIP ("
        + (reported.isEmpty() ? "no addresses" : reported) + "), so no peer can route its pod subnet " + podCIDR
        + " to it: give the node an IPv4 address (kubelet --node-ip).");
  }
}
