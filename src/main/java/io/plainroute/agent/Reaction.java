package io.plainroute.agent;

/** What the agent does about one kernel notification. */
enum Reaction {
  /** Nothing of plainroute's changed, or it was plainroute's own change: no pass. */
  IGNORE,
  /** Something plainroute owns changed in a way a full pass must look at. */
  PASS,
  /**
   * Something plainroute owns was changed by someone else and has been put back at once from the
   * last desired state; a pass still follows, for the status and the metrics.
   */
  REPAIRED
}
