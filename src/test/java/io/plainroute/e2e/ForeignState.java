package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.Lab;

/**
 * What plainroute does not own, placed in a node's namespace before a fault: a bridge of its own, a
 * route inside the cluster range but of another protocol, and an nftables table with a forward
 * chain. After the fault all three must still be there: the agent repairs its own state only.
 */
final class ForeignState {
  static final String LINK = "foreign0";
  /** In the cluster range (10.244.0.0/16) but far above any subnet the lab's few nodes get. */
  static final String ROUTE = "10.244.250.0/24";
  static final String TABLE = "foreign";

  private ForeignState() {
  }

  static void place(Lab lab, String node) {
    if (!lab.tryLab("exec", node, "ip", "link", "show", LINK).ok()) {
      lab.exec(node, "ip", "link", "add", LINK, "type", "bridge");
    }
    lab.exec(node, "ip", "route", "replace", ROUTE, "via", lab.setting("OUT_IP"), "dev", "eth0", "proto", "static");
    lab.exec(node, "nft", "add table inet " + TABLE + " ; add chain inet " + TABLE
        + " forward { type filter hook forward priority 10 ; policy accept ; } ; flush chain inet " + TABLE
        + " forward ; add rule inet " + TABLE + " forward counter");
  }

  static void assertIntact(Lab lab, String node) {
    assertThat(lab.tryLab("exec", node, "ip", "link", "show", LINK).ok()).as("link %s on %s", LINK, node).isTrue();
    assertThat(lab.exec(node, "ip", "-4", "route", "show", ROUTE, "proto", "static")).as("route %s on %s", ROUTE, node)
        .contains("via " + lab.setting("OUT_IP"));
    assertThat(lab.exec(node, "nft", "list", "chain", "inet", TABLE, "forward")).as("nftables table %s on %s", TABLE, node)
        .contains("counter");
  }
}
