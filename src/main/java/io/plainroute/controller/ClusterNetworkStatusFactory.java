package io.plainroute.controller;

import static io.plainroute.api.v1alpha1.Conditions.INVALID_SPEC;
import static io.plainroute.api.v1alpha1.Conditions.POOL_EXHAUSTED;
import static io.plainroute.api.v1alpha1.Conditions.READY;
import static io.plainroute.api.v1alpha1.Conditions.SUBNETS_OUTSIDE_RANGES;

import io.fabric8.kubernetes.api.model.Condition;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkStatus;
import io.plainroute.api.v1alpha1.FamilyStatus;
import io.plainroute.ipam.SpecProblem;
import io.plainroute.status.ConditionList;
import io.plainroute.status.ReconcileError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** Turns what the allocator found into the ClusterNetwork's status and its conditions. */
final class ClusterNetworkStatusFactory {
  /** A message lists at most this many node names; kubectl describe stays readable at 5,000 nodes. */
  private static final int NAMES_SHOWN = 5;

  private final Clock clock;

  ClusterNetworkStatusFactory(Clock clock) {
    this.clock = clock;
  }

  ClusterNetworkStatus fromOutcome(ClusterNetwork cn, AllocationOutcome outcome, List<SubnetsOutsideRanges.Held> outside) {
    ConditionList conditions = conditions(cn);
    conditions.set(SUBNETS_OUTSIDE_RANGES, !outside.isEmpty(), outside.isEmpty() ? "AllSubnetsInRanges" : "NodeSubnetsOutsideClusterCIDRs",
        outside.isEmpty() ? "Every node subnet lies in spec.clusterCIDRs." : outside.size() + " of " + outcome.nodeNetworks().size()
            + " node subnets lie outside spec.clusterCIDRs (" + held(outside) + "), left by an earlier ClusterNetwork. They keep "
            + "working and are never taken away. Append ranges that hold them to spec.clusterCIDRs, or drain and delete those "
            + "Nodes: they get a subnet of spec.clusterCIDRs when they register again.");
    List<SpecProblem> problems = outcome.problems();
    conditions.set(INVALID_SPEC, !problems.isEmpty(), problems.isEmpty() ? "Valid" : "RangeContainsNodeAddress", describe(problems));
    boolean exhausted = !outcome.pendingNodes().isEmpty();
    conditions.set(POOL_EXHAUSTED, exhausted, exhausted ? "NoFreeSubnet" : "SubnetsAvailable", exhausted ? waiting(outcome) : available(outcome));
    if (exhausted) {
      conditions.set(READY, false, "PoolExhausted", "Not every node has a subnet of every family; see the PoolExhausted condition.");
    } else if (!outcome.failures().isEmpty()) {
      conditions.set(READY, false, "AllocationFailed", outcome.failures().get(0) + " (retrying)");
    } else if (!problems.isEmpty()) {
      conditions.set(READY, false, "InvalidSpec", "See the InvalidSpec condition.");
    } else if (!outside.isEmpty()) {
      conditions.set(READY, false, "NodeSubnetsOutsideClusterCIDRs", outside.size()
          + " node(s) hold a subnet outside spec.clusterCIDRs; see the SubnetsOutsideRanges condition.");
    } else {
      conditions.set(READY, true, "AllNodesAllocated", outcome.allocated() + " node(s) have a subnet");
    }
    ClusterNetworkStatus status = status(cn, conditions, outcome.capacity(), outcome.allocated(), outcome.free());
    status.setFamilies(outcome.families().stream()
        .map(f -> new FamilyStatus(f.family().name(), f.capacity(), f.allocated(), f.free(), f.pendingNodes().size())).toList());
    return status;
  }

  /** Which family's pool ran out, for which nodes, and what to do: one sentence per exhausted family. */
  private static String waiting(AllocationOutcome outcome) {
    boolean single = outcome.families().size() == 1;
    return outcome.families().stream().filter(f -> !f.pendingNodes().isEmpty())
        .map(f -> f.pendingNodes().size() + " node(s) wait for " + (single ? "a" : "an " + f.family()) + " subnet (" + names(f.pendingNodes())
            + "): append " + (single ? "a" : "an " + f.family()) + " range to spec.clusterCIDRs or delete nodes that are gone")
        .collect(Collectors.joining("; "));
  }

  private static String available(AllocationOutcome outcome) {
    if (outcome.families().size() == 1) {
      return outcome.free() + " of " + outcome.capacity() + " subnets are free";
    }
    return outcome.families().stream().map(f -> f.family() + ": " + f.free() + " of " + f.capacity() + " subnets are free")
        .collect(Collectors.joining("; "));
  }

  /** The spec cannot be used: existing subnets are kept, nothing new is allocated. */
  ClusterNetworkStatus invalid(ClusterNetwork cn, List<SpecProblem> problems) {
    ConditionList conditions = conditions(cn)
        .set(INVALID_SPEC, true, "InvalidSpec", describe(problems) + ". Existing node subnets are kept; nothing new is allocated until this is fixed.")
        .set(POOL_EXHAUSTED, "Unknown", "InvalidSpec", "The pool cannot be judged while the spec is invalid.")
        .set(READY, false, "InvalidSpec", "See the InvalidSpec condition.");
    return status(cn, conditions, null, null, null);
  }

  /** Another ClusterNetwork is the cluster's: this one is reported and ignored, never merged. */
  ClusterNetworkStatus conflicting(ClusterNetwork cn, String active) {
    String message = "ClusterNetwork " + active + " is already the cluster's; plainroute uses one ClusterNetwork per cluster: "
        + "append these ranges to " + active + "'s spec.clusterCIDRs and delete this one.";
    ConditionList conditions = conditions(cn)
        .set(INVALID_SPEC, true, "ConflictingClusterNetwork", message)
        .set(POOL_EXHAUSTED, "Unknown", "ConflictingClusterNetwork", "This ClusterNetwork is not in use.")
        .set(READY, false, "ConflictingClusterNetwork", message);
    return status(cn, conditions, null, null, null);
  }

  private ConditionList conditions(ClusterNetwork cn) {
    List<Condition> previous = cn.getStatus() == null ? null : cn.getStatus().getConditions();
    return new ConditionList(clock, previous, cn.getMetadata().getGeneration());
  }

  private static ClusterNetworkStatus status(ClusterNetwork cn, ConditionList conditions, Long capacity, Long allocated, Long free) {
    ClusterNetworkStatus status = new ClusterNetworkStatus();
    status.setCapacity(capacity);
    status.setAllocated(allocated);
    status.setFree(free);
    status.setConditions(conditions.build());
    status.setObservedGeneration(cn.getMetadata().getGeneration());
    return status;
  }

  private static String describe(List<SpecProblem> problems) {
    return problems.isEmpty() ? "The spec is valid." : problems.stream().map(SpecProblem::toString).collect(Collectors.joining("; "));
  }

  /** The ClusterNetwork's Ready after an exception escaped a pass; the other conditions stay. */
  ClusterNetworkStatus failed(ClusterNetwork cn, ReconcileError error) {
    ConditionList conditions = conditions(cn).set(READY, false, error.reason(), error.message());
    List<Condition> kept = cn.getStatus() == null ? List.of() : cn.getStatus().getConditions().stream()
        .filter(c -> !READY.equals(c.getType())).toList();
    ClusterNetworkStatus status = cn.getStatus() == null ? new ClusterNetworkStatus() : cn.getStatus();
    List<Condition> all = new ArrayList<>(kept);
    all.addAll(conditions.build());
    status.setConditions(all);
    return status;
  }

  private static String held(List<SubnetsOutsideRanges.Held> outside) {
    String shown = outside.stream().limit(NAMES_SHOWN).map(h -> h.node() + " " + h.podCIDR()).collect(Collectors.joining(", "));
    return outside.size() > NAMES_SHOWN ? shown + ", ..." : shown;
  }

  private static String names(List<String> nodes) {
    String shown = nodes.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "));
    return nodes.size() > NAMES_SHOWN ? shown + ", ..." : shown;
  }
}
