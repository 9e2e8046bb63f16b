package io.plainroute.controller;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.Family;
import io.plainroute.ipam.SubnetPool;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a Node says about itself that plainroute cannot use, as the Warning Events the allocator
 * records on the Node when it gives it a subnet: a spec.podCIDR(s) entry that is not a free subnet
 * of the pool of its family (kept, since Kubernetes sets them once, but not what the node's pods
 * use) and no usable address of a family (peers cannot route the node's pods of that family).
 * Pure: Node and pool in, messages out.
 */
final class NodeInputProblems {
  static final String POD_CIDR_NOT_USED = "PodCIDRNotUsed";
  static final String NO_NODE_IP = "NoNodeIP";

  private NodeInputProblems() {}

  /**
   * Why the Node's own podCIDR of the pool's family was not adopted, when it has one and got
   * {@code given} instead.
   */
  static Optional<String> podCIDRNotUsed(Node node, SubnetPool pool, Set<? extends IPAddress> taken, IPAddress given, String clusterNetwork) {
    Family family = pool.family();
    Optional<String> own = NodeAddresses.podCIDRs(node).stream()
        .filter(c -> Cidrs.network(c).map(n -> Family.of(n) == family).orElse(family == Family.IPv4))
        .findFirst();
    if (own.isEmpty() || Cidrs.network(own.get()).filter(given::equals).isPresent()) {
      return Optional.empty();
    }
    String why;
    try {
      IPAddress subnet = Cidrs.parseNetwork(own.get());
      why = pool.holds(subnet) ? (taken.contains(subnet) ? "is held by another node" : "could not be claimed")
          : pool.ranges().stream().anyMatch(r -> r.overlaps(subnet))
              ? "is not a /" + pool.subnetPrefixLength() + " of spec.clusterCIDRs"
              : "lies outside spec.clusterCIDRs";
    } catch (Cidrs.InvalidCidrException e) {
      why = "is not an " + family + " network";
    }
    return Optional.of("Node.spec.podCIDR " + own.get() + " " + why + " of ClusterNetwork " + clusterNetwork
        + ", so the pods on this node get " + family + " addresses from " + given.toCanonicalString()
        + " (its NodeNetwork) instead. Node.spec.podCIDR(s) can only be set "
        + "once: to make them agree, drain the node, delete the Node and register it again without a podCIDR.");
  }

  /** The Node has no address of the subnet's family that peers could route the subnet to. */
  static Optional<String> noNodeIP(Node node, IPAddress podCIDR) {
    Family family = Family.of(podCIDR);
    if (NodeAddresses.nodeIP(node, family).isPresent()) {
      return Optional.empty();
    }
    List<NodeAddress> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
        : node.getStatus().getAddresses();
    String reported = addresses.stream().filter(a -> !"Hostname".equals(a.getType()))
        .map(a -> a.getType() + " " + a.getAddress()).collect(Collectors.joining(", "));
    return Optional.of("Node " + node.getMetadata().getName() + " reports no unicast " + family + " InternalIP or ExternalIP ("
        + (reported.isEmpty() ? "no addresses" : reported) + "), so no peer can route its pod subnet " + podCIDR.toCanonicalString()
        + " to it: give the node an " + family + " address (kubelet --node-ip).");
  }
}
