package io.plainroute.api.v1alpha1;

/** Condition types and reasons, as they read in {@code kubectl describe}. */
public final class Conditions {
  public static final String READY = "Ready";
  public static final String POOL_EXHAUSTED = "PoolExhausted";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String CONFLICT = "Conflict";
  /** Nodes hold subnets the ClusterNetwork's ranges do not contain (it was replaced). */
  public static final String SUBNETS_OUTSIDE_RANGES = "SubnetsOutsideRanges";

  public static final String TRUE = "True";
  public static final String FALSE = "False";

  private Conditions() {}
}
