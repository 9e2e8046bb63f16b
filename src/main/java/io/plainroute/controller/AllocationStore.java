package io.plainroute.controller;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import java.util.List;
import java.util.Optional;

/**
 * The allocator's reads and writes, so that its decisions can be followed without a cluster. Every
 * write that decides who holds a subnet is one the API server can refuse: creating a claim whose
 * name exists fails, and deletes carry the resourceVersion they were decided on.
 */
interface AllocationStore {

  /** All NodeNetworks, read from the API server (not a cache): the allocator acts on what is. */
  List<NodeNetwork> listNodeNetworks();

  /** All SubnetClaims, read from the API server. */
  List<SubnetClaim> listClaims();

  /** Asks the API server whether the Node exists, before anything of it is released. */
  boolean nodeExists(String name);

  /** Claims {@code subnet} for the node: the claim as created, or empty when somebody holds it already. */
  Optional<SubnetClaim> claim(IPAddress subnet, Node node, String clusterNetwork);

  /** Deletes a claim, unless it changed since it was read. */
  void release(SubnetClaim claim);

  /** Creates the node's NodeNetwork, or finds the one another instance created first. */
  Created<NodeNetwork> createNodeNetwork(Node node, NodeNetworkSpec spec, String clusterNetwork);

  /** Deletes a NodeNetwork, unless it changed since it was read. */
  void deleteNodeNetwork(NodeNetwork nodeNetwork);

  /**
   * Writes the node addresses and the per-family lists ({@code nodeIP}, {@code podCIDRs},
   * {@code gateways}, {@code nodeIPs}) of {@code spec} into the NodeNetwork; the NodeNetwork as it
   * now is. The API server refuses a write that would move or drop a subnet (CEL).
   */
  NodeNetwork updateAddresses(NodeNetwork nodeNetwork, NodeNetworkSpec spec);

  /** Sets Node.spec.podCIDR to the first and Node.spec.podCIDRs to all, which Kubernetes lets be set once. */
  void setNodePodCIDRs(Node node, List<String> podCIDRs);

  void recordEvent(Node node, EventType type, String reason, String message);

  /** An object as it now exists, and whether this call created it. */
  record Created<T>(T object, boolean byUs) {}

  enum EventType {
    Normal,
    Warning
  }
}
