package io.plainroute.controller;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.ipam.Family;
import io.plainroute.ipam.SpecProblem;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What one allocation pass found and did, for the ClusterNetwork's status and metrics.
 *
 * @param families each family's pool usage, the primary first (none when the spec is invalid)
 * @param problems what is wrong with the spec given the cluster (e.g. a range holding a node IP)
 * @param failures API errors met on the way; the pass is retried
 * @param nodeNetworks the NodeNetworks as the pass left them
 * @param released subnets this pass took back from deleted nodes
 */
record AllocationOutcome(
    List<FamilyOutcome> families,
    List<SpecProblem> problems,
    List<String> failures,
    List<NodeNetwork> nodeNetworks,
    List<Release> released) {

  /**
   * One family's pool after the pass.
   *
   * @param capacity subnets the pool holds, clamped to a long
   * @param allocated subnets held by NodeNetworks inside the pool
   * @param free subnets neither claimed nor held nor shadowing a node address, clamped to a long
   * @param pendingNodes selected nodes still without a subnet of this family because none is free
   */
  record FamilyOutcome(Family family, long capacity, long allocated, long free, List<String> pendingNodes) {}

  /** The primary family's capacity (0 when the spec is invalid). */
  long capacity() {
    return families.isEmpty() ? 0 : families.get(0).capacity();
  }

  long allocated() {
    return families.isEmpty() ? 0 : families.get(0).allocated();
  }

  long free() {
    return families.isEmpty() ? 0 : families.get(0).free();
  }

  /** Nodes waiting for a subnet of any family, each once. */
  List<String> pendingNodes() {
    Set<String> all = new LinkedHashSet<>();
    families.forEach(f -> all.addAll(f.pendingNodes()));
    return List.copyOf(all);
  }

  /** A deleted node's subnets ("10.244.1.0/24 and fd00:10:244:1::/64"), returned to the pool. */
  record Release(String node, String podCIDR) {}
}
