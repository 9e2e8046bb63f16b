package io.plainroute.nftables;

import java.util.stream.Collectors;

/**
 * The nft commands for plainroute's own table, {@code table ip plainroute}: its name and shape in
 * one place. Every command names this table and no other, so other tables are never touched.
 */
final class PlainrouteTable {
  static final String FAMILY = "ip";
  static final String NAME = "plainroute";
  static final String SET = "cluster_ranges";
  static final String CHAIN = "postrouting";
  static final String COMMENT = "plainroute: masquerade pod traffic leaving the cluster ranges";

  private static final String TABLE = "table " + FAMILY + " " + NAME;

  private PlainrouteTable() {
  }

  /**
   * Replaces the table with one holding the ruleset, as one transaction. {@code add} first makes
   * the {@code delete} succeed when the table is absent; the kernel applies all three at once, so
   * there is never a moment without the rule, nor with two.
   */
  static String replace(MasqueradeRuleset ruleset) {
    String ranges = ruleset.clusterRanges().stream().map(Object::toString).collect(Collectors.joining(", "));
    return "add " + TABLE + "\n"
        + "delete " + TABLE + "\n"
        + TABLE + " {\n"
        + "  set " + SET + " {\n"
        + "    type ipv4_addr\n"
        + "    flags interval\n"
        + "    elements = { " + ranges + " }\n"
        + "  }\n"
        + "\n"
        + "  chain " + CHAIN + " {\n"
        + "    type nat hook postrouting priority srcnat; policy accept;\n"
        + "    ip saddr @" + SET + " ip daddr != @" + SET
        + " oifname != \"" + ruleset.bridgeName() + "\" masquerade comment \"" + COMMENT + "\"\n"
        + "  }\n"
        + "}\n";
  }

  /** Deletes the table, and succeeds when it is absent (nft 1.0.6 has no {@code destroy}). */
  static String delete() {
    return "add " + TABLE + "\n"
        + "delete " + TABLE + "\n";
  }

  /** Lists the IPv4 tables: names and handles only, not other tables' rules. */
  static String listTables() {
    return "list tables " + FAMILY + "\n";
  }

  /** Lists the table with its set and rule. */
  static String list() {
    return "list " + TABLE + "\n";
  }

  /** How nft writes the table in messages. */
  static String describe() {
    return TABLE;
  }
}
