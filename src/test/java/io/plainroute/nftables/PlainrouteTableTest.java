package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The text handed to libnftables: one transaction, one rule, whatever the number of ranges. */
class PlainrouteTableTest {

  @Test
  void oneRangeIsOneSetElementAndOneRule() {
    String commands = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"));

    assertThat(commands).isEqualTo("""
        add table ip plainroute
        delete table ip plainroute
        table ip plainroute {
          set cluster_ranges {
            type ipv4_addr
            flags interval
            elements = { 10.244.0.0/16 }
          }

          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != "cni0" masquerade \
        comment "plainroute: masquerade pod traffic leaving the cluster ranges"
          }
        }
        """);
  }

  @Test
  void threeRangesAreThreeSortedElementsOfTheSameOneRule() {
    String commands = PlainrouteTable.replace(
        MasqueradeRuleset.of(List.of("10.244.0.0/16", "172.16.0.0/20", "10.96.0.0/12"), "plainroute0"));

    assertThat(commands).contains("    elements = { 10.96.0.0/12, 10.244.0.0/16, 172.16.0.0/20 }\n");
    assertThat(commands.lines().filter(line -> line.contains("masquerade"))).singleElement().asString()
        .contains("ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != \"plainroute0\" masquerade");
  }

  @Test
  void theTableIsReplacedInOneBufferSoTheKernelSwapsItAtOnce() {
    String commands = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"));

    assertThat(commands.lines().limit(3)).containsExactly(
        "add table ip plainroute", "delete table ip plainroute", "table ip plainroute {");
  }

  @Test
  void everyCommandNamesOnlyPlainroutesTable() {
    String all = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"))
        + PlainrouteTable.delete() + PlainrouteTable.list();

    assertThat(all.lines().filter(line -> line.contains("table")))
        .isNotEmpty()
        .allMatch(line -> line.matches("(add |delete |list )?table ip plainroute( \\{)?"));
    assertThat(PlainrouteTable.delete()).isEqualTo("add table ip plainroute\ndelete table ip plainroute\n");
  }
}
