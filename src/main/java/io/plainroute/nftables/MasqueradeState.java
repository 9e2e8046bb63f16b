package io.plainroute.nftables;

/**
 * What {@code table ip plainroute} holds in a network namespace, for status and drift checks.
 */
public sealed interface MasqueradeState {

  /** There is no {@code table ip plainroute}: nothing is masqueraded by plainroute. */
  record Absent() implements MasqueradeState {
  }

  /** The table is exactly what plainroute writes for this ruleset. */
  record Installed(MasqueradeRuleset ruleset) implements MasqueradeState {
  }

  /**
   * The table exists but is not what plainroute writes, e.g. someone deleted the rule or added
   * one by hand; the next apply replaces it.
   *
   * @param reason the first difference found, e.g. "chain postrouting has 0 rules, not 1"
   */
  record Unrecognised(String reason) implements MasqueradeState {
  }
}
