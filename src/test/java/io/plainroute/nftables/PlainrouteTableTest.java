package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The text handed to libnftables: one transaction, one rule per family, whatever the number of ranges. */
class PlainrouteTableTest {

  @Test
  void oneRangeOfEachFamilyIsOneSetElementOfEachAndOneRuleOfEach() {
    String commands = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("fd00:10:244::/48", "10.244.0.0/16"), "cni0"));

    assertThat(commands).isEqualTo("""
        add table inet plainroute
        delete table inet plainroute
        add table ip plainroute
        delete table ip plainroute
        table inet plainroute {
          set cluster_ranges {
            type ipv4_addr
            flags interval
            elements = { 10.244.0.0/16 }
          }

          set cluster_ranges6 {
            type ipv6_addr
            flags interval
            elements = { fd00:10:244::/48 }
          }

          chain postrouting {
            type nat hook postrouting priority srcnat; policy accept;
            ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != "cni0" masquerade \
        comment "plainroute: masquerade pod traffic leaving the cluster ranges"
            ip6 saddr @cluster_ranges6 ip6 daddr != @cluster_ranges6 oifname != "cni0" masquerade \
        comment "plainroute: masquerade pod traffic leaving the cluster ranges"
          }
        }
        """);
  }

  @Test
  void aFamilyWithoutRangesHasAnEmptySet() {
    String commands = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"));

    assertThat(commands).contains("""
          set cluster_ranges6 {
            type ipv6_addr
            flags interval
          }
        """);
  }

  @Test
  void threeRangesAreThreeSortedElementsOfTheSameOneRule() {
    String commands = PlainrouteTable.replace(
        MasqueradeRuleset.of(List.of("10.244.0.0/16", "172.16.0.0/20", "10.96.0.0/12"), "plainroute0"));

    assertThat(commands).contains("    elements = { 10.96.0.0/12, 10.244.0.0/16, 172.16.0.0/20 }\n");
    assertThat(commands.lines().filter(line -> line.contains("masquerade"))).hasSize(2).first().asString()
        .contains("ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != \"plainroute0\" masquerade");
  }

  @Test
  void theTableIsReplacedInOneBufferSoTheKernelSwapsItAtOnce() {
    String commands = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"));

    assertThat(commands.lines().limit(5)).containsExactly(
        "add table inet plainroute", "delete table inet plainroute",
        "add table ip plainroute", "delete table ip plainroute", "table inet plainroute {");
  }

  @Test
  void everyCommandNamesOnlyPlainroutesTable() {
    String all = PlainrouteTable.replace(MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0"))
        + PlainrouteTable.delete() + PlainrouteTable.list();

    assertThat(all.lines().filter(line -> line.contains("table")))
        .isNotEmpty()
        .allMatch(line -> line.matches("(add |delete |list )?table (inet|ip) plainroute( \\{)?"));
    assertThat(PlainrouteTable.delete()).isEqualTo("add table inet plainroute\ndelete table inet plainroute\n"
        + "add table ip plainroute\ndelete table ip plainroute\n");
  }
}
