package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.plainroute.nftables.MasqueradeState.Absent;
import io.plainroute.nftables.MasqueradeState.Installed;
import io.plainroute.nftables.MasqueradeState.Unrecognised;

/** Reading libnftables' JSON back: only the exact shape plainroute writes counts as installed. */
class TableListingTest {
  /** {@code nft -j list table inet plainroute} (nftables 1.0.6) after plainroute wrote it. */
  private static final String LISTED = """
      {"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, \
      {"table": {"family": "inet", "name": "plainroute", "handle": 3}}, \
      {"set": {"family": "inet", "name": "cluster_ranges", "table": "plainroute", "type": "ipv4_addr", "handle": 2, \
      "flags": ["interval"], "elem": [{"prefix": {"addr": "10.96.0.0", "len": 12}}, \
      {"prefix": {"addr": "10.244.0.0", "len": 16}}, "192.168.7.7"]}}, \
      {"set": {"family": "inet", "name": "cluster_ranges6", "table": "plainroute", "type": "ipv6_addr", "handle": 3, \
      "flags": ["interval"], "elem": [{"prefix": {"addr": "fd00:10:244::", "len": 48}}]}}, \
      {"chain": {"family": "inet", "table": "plainroute", "name": "postrouting", "handle": 1, "type": "nat", \
      "hook": "postrouting", "prio": 100, "policy": "accept"}}, \
      RULE]}""".replace("RULE", """
      {"rule": {"family": "inet", "table": "plainroute", "chain": "postrouting", "handle": 4, \
      "comment": "plainroute: masquerade pod traffic leaving the cluster ranges", "expr": [\
      {"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@cluster_ranges"}}, \
      {"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "@cluster_ranges"}}, \
      {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "cni0"}}, {"masquerade": null}]}}, \
      {"rule": {"family": "inet", "table": "plainroute", "chain": "postrouting", "handle": 5, \
      "comment": "plainroute: masquerade pod traffic leaving the cluster ranges", "expr": [\
      {"match": {"op": "==", "left": {"payload": {"protocol": "ip6", "field": "saddr"}}, "right": "@cluster_ranges6"}}, \
      {"match": {"op": "!=", "left": {"payload": {"protocol": "ip6", "field": "daddr"}}, "right": "@cluster_ranges6"}}, \
      {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "cni0"}}, {"masquerade": null}]}}""");

  @Test
  void whatPlainrouteWroteReadsBackAsItsRuleset() throws Exception {
    assertThat(TableListing.state(LISTED)).isEqualTo(new Installed(
        MasqueradeRuleset.of(List.of("10.96.0.0/12", "10.244.0.0/16", "192.168.7.7/32", "fd00:10:244::/48"), "cni0")));
  }

  @Test
  void anEmptySetOfOneFamilyReadsBackAsNoRangesOfIt() throws Exception {
    String ipv4Only = LISTED.replace(", \"elem\": [{\"prefix\": {\"addr\": \"fd00:10:244::\", \"len\": 48}}]", "");

    assertThat(TableListing.state(ipv4Only)).isEqualTo(new Installed(
        MasqueradeRuleset.of(List.of("10.96.0.0/12", "10.244.0.0/16", "192.168.7.7/32"), "cni0")));
  }

  @Test
  void aListingWithoutTheTableIsAbsent() throws Exception {
    assertThat(TableListing.state("{\"nftables\": [{\"metainfo\": {\"version\": \"1.0.6\"}}]}"))
        .isEqualTo(new Absent());
  }

  @Test
  void aMissingRuleIsUnrecognised() throws Exception {
    String withoutRule = LISTED.substring(0, LISTED.indexOf(", {\"rule\"")) + "]}";

    assertThat(TableListing.state(withoutRule))
        .isEqualTo(new Unrecognised("chain postrouting has 0 rules, not 2"));
  }

  @Test
  void aRuleAddedByHandIsUnrecognised() throws Exception {
    String extraRule = LISTED.replace("]}}]}", "]}}, {\"rule\": {\"chain\": \"postrouting\", \"expr\": []}}]}");

    assertThat(TableListing.state(extraRule)).isEqualTo(new Unrecognised("chain postrouting has 3 rules, not 2"));
  }

  @Test
  void aChangedRuleIsUnrecognised() throws Exception {
    assertThat(TableListing.state(LISTED.replace("{\"masquerade\": null}", "{\"accept\": null}")))
        .isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("\"protocol\": \"ip6\", \"field\": \"daddr\"", "\"protocol\": \"ip6\", \"field\": \"saddr\"")))
        .isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("\"op\": \"!=\", \"left\": {\"meta\"", "\"op\": \"==\", \"left\": {\"meta\"")))
        .isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("\"comment\": \"plainroute: ", "\"comment\": \"edited: ")))
        .isInstanceOf(Unrecognised.class);
  }

  @Test
  void aBridgeNamePlainrouteWouldNotWriteIsUnrecognised() throws Exception {
    assertThat(TableListing.state(LISTED.replace("\"right\": \"cni0\"", "\"right\": \"cni*\"")))
        .isInstanceOf(Unrecognised.class);
  }

  @Test
  void otherChainsSetsAndElementShapesAreUnrecognised() throws Exception {
    assertThat(TableListing.state(LISTED.replace("\"prio\": 100", "\"prio\": 50"))).isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("\"policy\": \"accept\"", "\"policy\": \"drop\"")))
        .isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("\"192.168.7.7\"", "{\"range\": [\"192.168.7.7\", \"192.168.7.9\"]}")))
        .isEqualTo(new Unrecognised(
            "set cluster_ranges holds {\"range\":[\"192.168.7.7\",\"192.168.7.9\"]}, which is not a prefix"));
    assertThat(TableListing.state(LISTED.replace("\"flags\": [\"interval\"]", "\"flags\": [\"interval\", \"timeout\"]")))
        .isInstanceOf(Unrecognised.class);
    assertThat(TableListing.state(LISTED.replace("{\"table\":", "{\"map\": {\"name\": \"m\"}}, {\"table\":")))
        .isEqualTo(new Unrecognised("the table holds a map, which plainroute does not write"));
  }

  @Test
  void tablesAreFoundByFamilyAndName() throws Exception {
    String tables = """
        {"nftables": [{"metainfo": {"version": "1.0.6"}}, {"table": {"family": "ip", "name": "nat", "handle": 1}}, \
        {"table": {"family": "ip", "name": "plainroute", "handle": 2}}]}""";

    assertThat(TableListing.hasTable(tables, "ip")).isTrue();
    assertThat(TableListing.hasTable(tables, "inet")).isFalse();
    assertThat(TableListing.hasTable(tables.replace("plainroute", "other"), "ip")).isFalse();
  }

  @Test
  void jsonThatDoesNotParseIsAnError() {
    assertThatThrownBy(() -> TableListing.state("Error: not json")).isInstanceOf(NftablesException.class)
        .hasMessageContaining("does not parse");
  }
}
