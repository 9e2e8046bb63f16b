package io.plainroute.nftables;

import static io.plainroute.testing.TestNamespaces.nft;
import static io.plainroute.testing.TestNamespaces.nftScript;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.testing.KernelTestBase;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netns.NamespaceThread;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.MasqueradeState.Absent;
import io.plainroute.nftables.MasqueradeState.Installed;
import io.plainroute.nftables.MasqueradeState.Unrecognised;

/** The table in a real kernel: installed, left alone when right, replaced when not, removed. */
class MasqueradeIT extends KernelTestBase {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MasqueradeRuleset CLUSTER = MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0");

  /** Someone else's NAT table, as kube-proxy or a user might have it. */
  private static final String FOREIGN_TABLE = """
      table ip nat {
        chain postrouting {
          type nat hook postrouting priority srcnat; policy accept;
          ip saddr 10.9.0.0/16 oifname "eth9" masquerade
        }
      }
      """;

  MasqueradeIT() {
    super("prnft");
  }

  @Test
  void applyInstallsPlainroutesTableAndLeavesAForeignOneAsItWas() throws Exception {
    String node = newNamespace();
    String neighbour = newNamespace();
    nftScript(node, FOREIGN_TABLE);
    String foreignBefore = nft(node, "-j", "list", "table", "ip", "nat");
    Masquerade masquerade = masquerade(node);

    assertThat(masquerade.apply(CLUSTER)).isTrue();

    assertThat(tables(node)).containsExactlyInAnyOrder("ip nat", "inet plainroute");
    assertThat(nft(node, "-j", "list", "table", "ip", "nat")).isEqualTo(foreignBefore);
    assertThat(nft(node, "list", "chain", "inet", "plainroute", "postrouting")).contains(
        "ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != \"cni0\" masquerade");
    assertThat(masquerade.current()).isEqualTo(new Installed(CLUSTER));
    assertThat(masquerade.isInstalled()).isTrue();
    assertThat(tables(neighbour)).as("another namespace").isEmpty();

    assertThat(masquerade.remove()).isTrue();

    assertThat(tables(node)).containsExactly("ip nat");
    assertThat(nft(node, "-j", "list", "table", "ip", "nat")).isEqualTo(foreignBefore);
  }

  @Test
  void applyingTheSameRulesetAgainWritesNothing() throws Exception {
    String node = newNamespace();
    Masquerade masquerade = masquerade(node);
    masquerade.apply(List.of(Ipv4Prefix.parse("10.244.0.0/16"), Ipv4Prefix.parse("10.96.0.0/12")), "cni0");
    String withHandles = nft(node, "-a", "-j", "list", "table", "inet", "plainroute");

    assertThat(masquerade.apply(List.of(Ipv4Prefix.parse("10.96.0.0/12"), Ipv4Prefix.parse("10.244.0.0/16")), "cni0"))
        .isFalse();
    assertThat(masquerade.apply(MasqueradeRuleset.of(List.of("10.244.0.0/16", "10.96.0.0/12"), "cni0"))).isFalse();

    // Table, set, chain and rule handles are all the same: the kernel saw no transaction.
    assertThat(nft(node, "-a", "-j", "list", "table", "inet", "plainroute")).isEqualTo(withHandles);
  }

  @Test
  void changingTheRangesOrBridgeReplacesTheWholeTableWithOneRulePerFamily() throws Exception {
    String node = newNamespace();
    Masquerade masquerade = masquerade(node);
    masquerade.apply(CLUSTER);
    long tableHandle = tableHandle(node);

    MasqueradeRuleset grown = MasqueradeRuleset.of(List.of("10.244.0.0/16", "10.245.0.0/16", "172.20.0.0/14"), "cni0");
    assertThat(masquerade.apply(grown)).isTrue();

    assertThat(tableHandle(node)).as("a new table").isNotEqualTo(tableHandle);
    assertThat(elements(node)).containsExactly("10.244.0.0/16", "10.245.0.0/16", "172.20.0.0/14");
    assertThat(rules(node)).hasSize(2);
    assertThat(masquerade.current()).isEqualTo(new Installed(grown));

    MasqueradeRuleset renamed = MasqueradeRuleset.of(List.of("10.244.0.0/16"), "plainroute0");
    assertThat(masquerade.apply(renamed)).isTrue();
    assertThat(elements(node)).containsExactly("10.244.0.0/16");
    assertThat(rules(node)).hasSize(2).allSatisfy(rule -> assertThat(rule.toString()).contains("\"plainroute0\""));
    assertThat(masquerade.current()).isEqualTo(new Installed(renamed));
  }

  @Test
  void removeDeletesTheTableAndIsFineWhenItIsAbsent() throws Exception {
    String node = newNamespace();
    Masquerade masquerade = masquerade(node);
    assertThat(masquerade.current()).isEqualTo(new Absent());
    assertThat(masquerade.remove()).isFalse();

    masquerade.apply(CLUSTER);
    assertThat(masquerade.remove()).isTrue();

    assertThat(tables(node)).isEmpty();
    assertThat(masquerade.current()).isEqualTo(new Absent());
    assertThat(masquerade.isInstalled()).isFalse();
    assertThat(masquerade.remove()).isFalse();
  }

  @Test
  void aTableChangedByHandIsReportedAndPutRight() throws Exception {
    String node = newNamespace();
    Masquerade masquerade = masquerade(node);
    masquerade.apply(CLUSTER);

    nft(node, "flush", "chain", "inet", "plainroute", "postrouting");
    assertThat(masquerade.current()).isEqualTo(new Unrecognised("chain postrouting has 0 rules, not 2"));
    assertThat(masquerade.isInstalled()).isFalse();
    assertThat(masquerade.apply(CLUSTER)).isTrue();
    assertThat(masquerade.current()).isEqualTo(new Installed(CLUSTER));

    nft(node, "add", "element", "inet", "plainroute", "cluster_ranges", "{ 192.168.0.0/16 }");
    assertThat(masquerade.current()).isEqualTo(new Installed(
        MasqueradeRuleset.of(List.of("10.244.0.0/16", "192.168.0.0/16"), "cni0")));
    assertThat(masquerade.apply(CLUSTER)).isTrue();
    assertThat(elements(node)).containsExactly("10.244.0.0/16");

    nft(node, "add", "rule", "inet", "plainroute", "postrouting", "ip", "saddr", "10.1.0.0/16", "masquerade");
    assertThat(masquerade.current()).isInstanceOf(Unrecognised.class);
    assertThat(masquerade.apply(CLUSTER)).isTrue();
    assertThat(rules(node)).hasSize(2);
  }

  @Test
  void libnftablesErrorsCarryItsOwnText() throws Exception {
    String node = newNamespace();
    NamespaceThread thread = NamespaceThread.start(NetworkNamespace.named(node));
    try {
      assertThatThrownBy(() -> thread.call(() -> {
        try (NftContext context = NftContext.create()) {
          return context.run("list a table that is not there", "list table ip plainroute-absent", false);
        }
      }))
          .isInstanceOf(NftablesException.class)
          .hasMessageStartingWith("list a table that is not there: Error: No such file or directory")
          .satisfies(e -> assertThat(((NftablesException) e).errorText()).get().asString()
              .contains("list table ip plainroute-absent"));
    } finally {
      thread.stop();
    }
  }

  @Test
  void bothFamiliesReadBackAndTheIpv4OnlyTableOfEarlierReleasesGoesOnApplyAndOnRemove() throws Exception {
    String node = newNamespace();
    nft(node, "add", "table", "ip", "plainroute");
    Masquerade masquerade = masquerade(node);
    MasqueradeRuleset dual = MasqueradeRuleset.of(List.of("10.244.0.0/16", "fd00:10:244::/48"), "cni0");

    assertThat(masquerade.apply(dual)).isTrue();

    assertThat(tables(node)).containsExactly("inet plainroute");
    assertThat(nft(node, "list", "chain", "inet", "plainroute", "postrouting")).contains(
        "ip6 saddr @cluster_ranges6 ip6 daddr != @cluster_ranges6 oifname != \"cni0\" masquerade");
    assertThat(masquerade.current()).isEqualTo(new Installed(dual));
    assertThat(masquerade.apply(dual)).isFalse();

    nft(node, "add", "table", "ip", "plainroute");
    assertThat(masquerade.apply(dual)).as("the old table is back: written again, and gone").isTrue();
    assertThat(tables(node)).containsExactly("inet plainroute");

    nft(node, "add", "table", "ip", "plainroute");
    assertThat(masquerade.remove()).isTrue();
    assertThat(tables(node)).isEmpty();
  }

  @Test
  void aClosedMasqueradeLeavesTheTableInPlace() throws Exception {
    String node = newNamespace();
    try (Masquerade masquerade = Masquerade.open(NetworkNamespace.named(node))) {
      masquerade.apply(CLUSTER);
    }

    assertThat(tables(node)).containsExactly("inet plainroute");
  }

  /** {@code family name} of every table in the namespace, from {@code nft -j list ruleset}. */
  private static List<String> tables(String namespace) throws Exception {
    List<String> tables = new ArrayList<>();
    for (JsonNode object : listed(namespace, "list", "ruleset")) {
      if (object.has("table")) {
        tables.add(object.get("table").get("family").asText() + " " + object.get("table").get("name").asText());
      }
    }
    return tables;
  }

  private static long tableHandle(String namespace) throws Exception {
    for (JsonNode object : listed(namespace, "list", "table", "inet", "plainroute")) {
      if (object.has("table")) {
        return object.get("table").get("handle").asLong();
      }
    }
    throw new AssertionError("no table inet plainroute in " + namespace);
  }

  private static List<String> elements(String namespace) throws Exception {
    List<String> elements = new ArrayList<>();
    for (JsonNode object : listed(namespace, "list", "set", "inet", "plainroute", "cluster_ranges")) {
      for (JsonNode element : object.path("set").path("elem")) {
        JsonNode prefix = element.path("prefix");
        elements.add(prefix.path("addr").asText() + "/" + prefix.path("len").asText());
      }
    }
    return elements;
  }

  private static List<JsonNode> rules(String namespace) throws Exception {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode object : listed(namespace, "list", "chain", "inet", "plainroute", "postrouting")) {
      if (object.has("rule")) {
        rules.add(object.get("rule"));
      }
    }
    return rules;
  }

  private static JsonNode listed(String namespace, String... command) throws Exception {
    List<String> args = new ArrayList<>(List.of("-j"));
    args.addAll(List.of(command));
    return JSON.readTree(nft(namespace, args.toArray(String[]::new))).path("nftables");
  }
}
