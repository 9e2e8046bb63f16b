package io.plainroute.nftables;

import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The nft commands for plainroute's own table, {@code table inet plainroute}, which covers both
 * families: its name and shape in one place. Every command names this table, or the IPv4-only
 * {@code table ip plainroute} that plainroute wrote before it (only to delete it), and no other,
 * so other tables are never touched.
 */
final class PlainrouteTable {
  static final String FAMILY = "inet";
  static final String NAME = "plainroute";
  /** The IPv4 pod ranges. */
  static final String SET = "cluster_ranges";
  /** The IPv6 pod ranges. */
  static final String SET6 = "cluster_ranges6";
  static final String CHAIN = "postrouting";
  static final String COMMENT = "plainroute: masquerade pod traffic leaving the cluster ranges";

  private static final String TABLE = "table " + FAMILY + " " + NAME;
  /** The table of releases before dual-stack: IPv4 only. */
  static final String LEGACY_FAMILY = "ip";
  private static final String LEGACY_TABLE = "table " + LEGACY_FAMILY + " " + NAME;

  private PlainrouteTable() {
  }

  /**
   * Replaces the table with one holding the ruleset, as one transaction, and deletes the IPv4-only
   * table of earlier releases with it. {@code add} first makes each {@code delete} succeed when
   * the table is absent; the kernel applies it all at once, so there is never a moment without
   * the rule, nor with two. A family without ranges keeps its set, empty: its rule matches nothing.
   */
  static String replace(MasqueradeRuleset ruleset) {
    return delete()
        + TABLE + " {\n"
        + set(SET, "ipv4_addr", ruleset.ranges(IpFamily.IPV4))
        + set(SET6, "ipv6_addr", ruleset.ranges(IpFamily.IPV6))
        + "  chain " + CHAIN + " {\n"
        + "    type nat hook postrouting priority srcnat; policy accept;\n"
        + rule("ip", SET, ruleset.bridgeName())
        + rule("ip6", SET6, ruleset.bridgeName())
        + "  }\n"
        + "}\n";
  }

  private static String set(String name, String type, List<IpPrefix> ranges) {
    return "  set " + name + " {\n"
        + "    type " + type + "\n"
        + "    flags interval\n"
        + (ranges.isEmpty() ? "" : "    elements = { " + ranges.stream().map(Object::toString).collect(Collectors.joining(", ")) + " }\n")
        + "  }\n"
        + "\n";
  }

  private static String rule(String protocol, String set, String bridgeName) {
    return "    " + protocol + " saddr @" + set + " " + protocol + " daddr != @" + set
        + " oifname != \"" + bridgeName + "\" masquerade comment \"" + COMMENT + "\"\n";
  }

  /**
   * Deletes the table and the IPv4-only one of earlier releases, and succeeds when they are
   * absent (nft 1.0.6 has no {@code destroy}).
   */
  static String delete() {
    return "add " + TABLE + "\n"
        + "delete " + TABLE + "\n"
        + "add " + LEGACY_TABLE + "\n"
        + "delete " + LEGACY_TABLE + "\n";
  }

  /** Lists the tables of every family: names and handles only, not other tables' rules. */
  static String listTables() {
    return "list tables\n";
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
