package io.plainroute.controller;

import static io.plainroute.api.v1alpha1.Conditions.INVALID_SPEC;
import static io.plainroute.api.v1alpha1.Conditions.POOL_EXHAUSTED;
import static io.plainroute.api.v1alpha1.Conditions.READY;

import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkStatus;
import io.plainroute.ipam.SpecProblem;
import io.plainroute.status.ConditionList;
import java.time.Clock;
import java.util.List;
import java.util.stream.Collectors;

/** Turns what the allocator found into the ClusterNetwork's status and its three conditions. */
final class ClusterNetworkStatusFactory {
  /** A message lists at most this many node names; kubectl describe stays readable at 5,000 nodes. */
  private static final int NAMES_SHOWN = 5;

  private final Clock clock;

  ClusterNetworkStatusFactory(Clock clock) {
    this.clock = clock;
  }

  ClusterNetworkStatus fromOutcome(ClusterNetwork cn, AllocationOutcome outcome) {
    ConditionList conditions = conditions(cn);
    List<SpecProblem> problems = outcome.problems();
    conditions.set(INVALID_SPEC, !problems.isEmpty(), problems.isEmpty() ? "Valid" : "RangeContainsNodeAddress", describe(problems));
    boolean exhausted = !outcome.pendingNodes().isEmpty();
    conditions.set(POOL_EXHAUSTED, exhausted, exhausted ? "NoFreeSubnet" : "SubnetsAvailable", exhausted
        ? outcome.pendingNodes().size() + " node(s) wait for a subnet (" + names(outcome.pendingNodes())
            + "): append a range to spec.clusterCIDRs or delete nodes that are gone"
        : outcome.free() + " of " + outcome.capacity() + " subnets are free");
    if (exhausted) {
      conditions.set(READY, false, "PoolExhausted", "Not every node has a subnet; see the PoolExhausted condition.");
    } else if (!outcome.failures().isEmpty()) {
      conditions.set(READY, false, "AllocationFailed", outcome.failures().get(0) + " (retrying)");
    } else if (!problems.isEmpty()) {
      conditions.set(READY, false, "InvalidSpec", "See the InvalidSpec condition.");
    } else {
      conditions.set(READY, true, "AllNodesAllocated", outcome.allocated() + " node(s) have a subnet");
    }
    return status(cn, conditions, outcome.capacity(), outcome.allocated(), outcome.free());
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
    List<io.fabric8.kubernetes.api.model.Condition> previous = cn.getStatus() == null ? null : cn.getStatus().getConditions();
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

  private static String names(List<String> nodes) {
    String shown = nodes.stream().limit(NAMES_SHOWN).collect(Collectors.joining(", "));
    return nodes.size() > NAMES_SHOWN ? shown + ", ..." : shown;
  }
}
