package io.plainroute.controller;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.ipam.SpecProblem;
import java.util.List;

/**
 * What one allocation pass found and did, for the ClusterNetwork's status and metrics.
 *
 * @param capacity subnets the pool holds (0 when the spec is invalid)
 * @param allocated subnets held by NodeNetworks inside the pool
 * @param free subnets neither claimed nor held nor shadowing a node address
 * @param pendingNodes selected nodes still without a subnet because none is free
 * @param problems what is wrong with the spec given the cluster (e.g. a range holding a node IP)
 * @param failures API errors met on the way; the pass is retried
 * @param nodeNetworks the NodeNetworks as the pass left them
 * @param released subnets this pass took back from deleted nodes
 */
record AllocationOutcome(
    long capacity,
    long allocated,
    long free,
    List<String> pendingNodes,
    List<SpecProblem> problems,
    List<String> failures,
    List<NodeNetwork> nodeNetworks,
    List<Release> released) {

  /** A deleted node's subnet, returned to the pool. */
  record Release(String node, String podCIDR) {}
}
