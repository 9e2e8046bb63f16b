package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A dual-stack node on a real kernel, without an API server: its uplink holds 192.168.1.11/24 and
 * fd00:192:168:1::11/64 (ULA, inside the test's namespace), its NodeNetwork an IPv4 and an IPv6
 * subnet. A pass gives the bridge a gateway of each family, turns IPv6 forwarding on, installs
 * one route per peer per family, masquerades both families from one table and writes a CNI
 * config of both; IPv6 drift is repaired from the kernel's notifications as IPv4's is, and
 * routes of other owners are left alone.
 */
class DualStackNodeIT extends NodeKernelTestBase {
  private static final Duration SOON = Duration.ofSeconds(5);
  private static final NodeNetworkSpec OWN_DUAL = ApiObjects.dualStack("node01", "10.244.1.0/24", "192.168.1.11",
      "fd00:10:244:1::/64", "fd00:192:168:1::11");
  private static final List<NodeNetwork> PEERS = List.of(
      ApiObjects.dualStackPeer("node02", "10.244.2.0/24", "192.168.1.12", "fd00:10:244:2::/64", "fd00:192:168:1::12"),
      ApiObjects.dualStackPeer("node03", "10.244.3.0/24", "192.168.1.13", "fd00:10:244:3::/64", "fd00:99::13"));

  DualStackNodeIT() {
    super("prds");
  }

  @Override
  NodeNetworkSpec own() {
    return OWN_DUAL;
  }

  @BeforeEach
  void anIpv6AddressOnTheUplinkAndForwardingOff() throws Exception {
    ip("-6", "addr", "add", "fd00:192:168:1::11/64", "dev", "eth0", "nodad");
    sysctl("net.ipv6.conf.all.forwarding=0");
  }

  @Test
  void onePassProgramsBothFamilies() throws Exception {
    DataplaneReport report = pass(ApiObjects.dualStackCluster(), PEERS);

    assertThat(ip("-4", "addr", "show", "dev", "cni0")).contains("inet 10.244.1.1/24");
    String bridge6 = ip("-6", "addr", "show", "dev", "cni0");
    assertThat(bridge6).contains("inet6 fd00:10:244:1::1/64");
    assertThat(bridge6.lines().filter(line -> line.contains("fd00:10:244:1::1"))).noneMatch(line -> line.contains("tentative"));
    assertThat(sysctlValue("net.ipv6.conf.all.forwarding")).isEqualTo("1");
    assertThat(ip("-4", "route", "show", "proto", "202")).contains("10.244.2.0/24 via 192.168.1.12 dev eth0",
        "10.244.3.0/24 via 192.168.1.13 dev eth0");
    assertThat(ip("-6", "route", "show", "proto", "202")).contains("fd00:10:244:2::/64 via fd00:192:168:1::12 dev eth0")
        .doesNotContain("fd00:10:244:3::/64");
    assertThat(report.routes().reason()).isEqualTo("PeerNotOnLink");
    assertThat(report.routes().message()).contains("node03 (IPv6 fd00:99::13, PeerNotOnLink)");
    assertThat(report.installedRoutes()).isEqualTo(3);
    String table = TestNamespaces.exec(namespace, "nft", "list", "table", "inet", "plainroute");
    assertThat(table).contains("10.244.0.0/16", "fd00:10:244::/48", "ip6 saddr @cluster_ranges6");
    String conflist = Files.readString(cniDir.resolve("10-plainroute.conflist"));
    assertThat(conflist).contains("\"subnet\": \"fd00:10:244:1::/64\"", "\"dst\": \"::/0\"", "\"dst\": \"0.0.0.0/0\"");
  }

  @Test
  void ipv6DriftIsRepairedFromNotificationsAndForeignRoutesAreLeftAlone() throws Exception {
    pass(ApiObjects.dualStackCluster(), PEERS);
    ip("-6", "route", "add", "fd00:10:244:9::/64", "via", "fd00:192:168:1::99", "proto", "201");
    closedAfterTest(netlink.subscribe(new KernelEvents(dataplane, () -> pass(ApiObjects.dualStackCluster(), PEERS), () -> { },
        nanos -> { })));

    ip("-6", "route", "del", "fd00:10:244:2::/64");
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> ip("-6", "route", "show", "proto", "202")
        .contains("fd00:10:244:2::/64 via fd00:192:168:1::12 dev eth0"));

    ip("-6", "addr", "del", "fd00:10:244:1::1/64", "dev", "cni0");
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> ip("-6", "addr", "show", "dev", "cni0")
        .contains("inet6 fd00:10:244:1::1/64"));

    sysctl("net.ipv6.conf.all.forwarding=0");
    await().atMost(SOON).pollInterval(Duration.ofMillis(20)).until(() -> sysctlValue("net.ipv6.conf.all.forwarding").equals("1"));

    assertThat(ip("-6", "route", "show", "proto", "201")).contains("fd00:10:244:9::/64 via fd00:192:168:1::99");
  }

  @Test
  void theIpv4OnlyTableOfEarlierReleasesIsReplacedByTheTableOfBothFamilies() throws Exception {
    TestNamespaces.exec(namespace, "nft", "add table ip plainroute");

    pass(ApiObjects.dualStackCluster(), PEERS);

    String tables = TestNamespaces.exec(namespace, "nft", "list", "tables");
    assertThat(tables).contains("table inet plainroute").doesNotContain("table ip plainroute");
  }

  private void sysctl(String assignment) throws Exception {
    TestNamespaces.exec(namespace, "sysctl", "-qw", assignment);
  }

  private String sysctlValue(String name) throws Exception {
    return TestNamespaces.exec(namespace, "sysctl", "-n", name).strip();
  }
}
