package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.testing.AgentCluster;
import io.plainroute.testing.CniRuntime;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.NetnsLab;
import io.plainroute.testing.OperatorProcess;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent on a real kernel: three "nodes" are network namespaces on a LAN namespace, a real
 * control plane and the packaged controller run as processes, and one agent process programs each
 * node's namespace (as a hostNetwork pod would program its node). Checks read the kernel with
 * {@code ip}, as a person would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentIT {
  private static final Duration SOON = Duration.ofSeconds(30);
  /** Far less than the periodic resync (60 s): a repair this fast came from an rtnetlink event. */
  private static final Duration WITHOUT_RESYNC = Duration.ofSeconds(10);
  private static final Map<String, String> NODES = Map.of("node01", "192.168.1.11", "node02", "192.168.1.12", "node03", "192.168.1.13");
  private static final String PROTO = "202";

  @TempDir
  static Path cniDirs;
  private static AgentCluster cluster;
  private static NetnsLab lab;
  private static ControlPlane plane;
  private static Map<String, OperatorProcess> agents;
  private static KubernetesClient client;

  @BeforeAll
  static void startTheLab() {
    assumeThat(TestNamespaces.isRoot()).as("needs root: creates network namespaces and programs their kernels").isTrue();
    cluster = AgentCluster.builder("agent", cniDirs).nodes(NODES).start();
    lab = cluster.lab();
    plane = cluster.plane();
    agents = cluster.agents();
    client = cluster.client();
  }

  @AfterAll
  static void stopTheLab() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aFreshNodeGetsBridgeGatewayForwardingRoutesAndCniConfig() throws Exception {
    for (String node : NODES.keySet()) {
      NodeNetwork own = nodeNetwork(node);
      String gateway = own.getSpec().getGateway() + "/24";
      // A bridge without ports reports operstate UNKNOWN: the flags say whether it is up.
      assertThat(lab.ip(node, "-o", "link", "show", "cni0")).containsPattern("[<,]UP[,>]").contains("mtu 1500");
      assertThat(lab.ip(node, "-o", "-4", "addr", "show", "dev", "cni0")).contains("inet " + gateway);
      assertThat(lab.exec(node, "cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("1");
      List<String> routes = lab.ip(node, "route", "show", "proto", PROTO).lines().map(String::strip).toList();
      for (String peer : NODES.keySet()) {
        if (!peer.equals(node)) {
          assertThat(routes).contains(nodeNetwork(peer).getSpec().getPodCIDR() + " via " + NODES.get(peer) + " dev eth0");
        }
      }
      assertThat(routes).hasSize(2);
      String conflist = Files.readString(cniDirs.resolve(node).resolve("10-plainroute.conflist"));
      assertThat(conflist).contains(own.getSpec().getPodCIDR()).contains("\"cni0\"").doesNotContain("ipMasq");
      NodeNetworkStatus status = own.getStatus();
      assertThat(status.getRoutes()).isEqualTo(2);
      assertThat(status.getBridge()).isEqualTo("cni0");
      assertThat(status.getUplink().getName()).isEqualTo("eth0");
      assertThat(status.getUplink().getMtu()).isEqualTo(1500);
      assertThat(status.getUplink().getMac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
      assertThat(condition(node, "Ready")).map(Condition::getStatus).contains("True");
    }
    assertThat(plane.kubectl("get", "nodenetworks").orThrow()).containsPattern("node01\\s+node01\\s+\\S+\\s+\\S+\\s+192\\.168\\.1\\.11\\s+2\\s+True");
  }

  @Test
  @Order(1)
  void eachAgentIsReadyAndReportsItsRoutesToPrometheus() {
    for (String node : NODES.keySet()) {
      OperatorProcess agent = agents.get(node);
      assertThat(agent.get("/q/health/ready").status()).as("readiness of the agent on %s", node).isEqualTo(200);
      assertThat(agent.get("/q/health/live").status()).isEqualTo(200);
      assertThat(agent.get("/q/metrics").body())
          .contains("plainroute_routes_installed{node=\"" + node + "\"} 2.0")
          .contains("plainroute_peers_unreachable{node=\"" + node + "\"} 0.0")
          .contains("plainroute_netlink_errors_total{node=\"" + node + "\"} 0.0")
          .containsPattern("operator_sdk_controllers_execution_reconcile_seconds_count\\{controller=\"agent\"[^}]*} [1-9]");
    }
  }

  @Test
  @Order(2)
  void aRouteDeletedByHandComesBackWithoutWaitingForTheResync() {
    String peerSubnet = nodeNetwork("node02").getSpec().getPodCIDR();
    lab.ip("node01", "route", "del", peerSubnet);
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
        .until(() -> lab.ip("node01", "route", "show", "proto", PROTO).contains(peerSubnet + " via 192.168.1.12"));
    // Repaired straight from the kernel's notification, and timed from it to the repair's ack.
    await().atMost(SOON).untilAsserted(() -> assertThat(agents.get("node01").get("/q/metrics").body())
        .containsPattern("plainroute_drift_repairs_total\\{node=\"node01\"} [1-9]")
        .containsPattern("plainroute_drift_repair_seconds_count\\{node=\"node01\"} [1-9]")
        .contains("plainroute_drift_repair_seconds_bucket{node=\"node01\",le=\"0.005\"}"));
  }

  @Test
  @Order(3)
  void aDownedBridgeAndARemovedGatewayAddressAreRepaired() {
    lab.ip("node02", "link", "set", "cni0", "down");
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
        .until(() -> Pattern.compile("[<,]UP[,>]").matcher(lab.ip("node02", "-o", "link", "show", "cni0")).find());
    String gateway = nodeNetwork("node02").getSpec().getGateway() + "/24";
    lab.ip("node02", "addr", "del", gateway, "dev", "cni0");
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
        .until(() -> lab.ip("node02", "-o", "-4", "addr", "show", "dev", "cni0").contains(gateway));

    // A gateway address of an earlier subnet would answer for a range the node no longer owns.
    lab.ip("node02", "addr", "add", "10.244.250.1/24", "dev", "cni0");
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
        .until(() -> !lab.ip("node02", "-o", "-4", "addr", "show", "dev", "cni0").contains("10.244.250.1"));
    assertThat(lab.ip("node02", "-o", "-4", "addr", "show", "dev", "cni0")).contains(gateway);
  }

  @Test
  @Order(4)
  void forwardingTurnedOffBySomeoneElseIsTurnedBackOn() {
    // Announced by the kernel (RTM_NEWNETCONF): nothing else prompts the pass that turns it back on.
    lab.exec("node03", "sh", "-c", "echo 0 > /proc/sys/net/ipv4/ip_forward");
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
        .until(() -> lab.exec("node03", "cat", "/proc/sys/net/ipv4/ip_forward").strip().equals("1"));
  }

  @Test
  @Order(4)
  void aMasqueradeTableFlushedBySomeoneElseIsPutBack() {
    assertThat(lab.exec("node02", "nft", "list", "tables")).contains("table inet plainroute");
    // As a restart of the distribution's nftables service does; nothing announces it, nothing
    // else prompts a pass.
    lab.exec("node02", "nft", "flush", "ruleset");
    await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(100))
        .until(() -> lab.exec("node02", "nft", "list", "tables").contains("table inet plainroute"));
  }

  @Test
  @Order(5)
  void routesOfOthersAreNeverTouched() {
    lab.ip("node01", "route", "add", "10.99.0.0/24", "via", "192.168.1.13", "proto", "static");
    lab.ip("node01", "route", "add", "10.98.0.0/24", "via", "192.168.1.12");
    lab.ip("node01", "route", "del", nodeNetwork("node03").getSpec().getPodCIDR());
    await().atMost(WITHOUT_RESYNC).until(() -> lab.ip("node01", "route", "show", "proto", PROTO).lines().count() == 2);
    assertThat(lab.ip("node01", "route", "show")).contains("10.99.0.0/24 via 192.168.1.13").contains("10.98.0.0/24 via 192.168.1.12");
  }

  @Test
  @Order(6)
  void aPeerThatIsNotOnLinkIsReportedAndTheOthersKeepTheirRoutes() {
    registerNode("far", "10.9.0.4");
    await().atMost(SOON).until(() -> nodeNetworkIfAny("far").isPresent());
    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetwork("node01").getStatus().getUnreachablePeers())
        .anySatisfy(p -> {
          assertThat(p.getNode()).isEqualTo("far");
          assertThat(p.getNodeIP()).isEqualTo("10.9.0.4");
          assertThat(p.getReason()).isEqualTo("PeerNotOnLink");
        }));
    assertThat(condition("node01", "RoutesReady")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("PeerNotOnLink");
      assertThat(c.getMessage()).contains("far (10.9.0.4, PeerNotOnLink)");
    });
    assertThat(lab.ip("node01", "route", "show", "proto", PROTO).lines().count()).isEqualTo(2);
    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetworkEvents("node01"))
        .containsExactly("Warning PeerUnreachable: Node far (10.9.0.4) gets no route from node01 (PeerNotOnLink): "
            + "plain routing needs every node IP on this node's uplink network."));
    assertThat(agents.get("node01").get("/q/metrics").body()).contains("plainroute_peers_unreachable{node=\"node01\"} 1.0");

    // Moved onto the LAN: routed, and told once; a pass that changes nothing tells nothing.
    var far = client.nodes().withName("far").get();
    far.getStatus().getAddresses().get(0).setAddress("192.168.1.15");
    client.nodes().resource(far).updateStatus();
    await().atMost(SOON).until(() -> lab.ip("node01", "route", "show", "proto", PROTO).contains("via 192.168.1.15"));
    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetworkEvents("node01")).containsExactlyInAnyOrder(
        "Warning PeerUnreachable: Node far (10.9.0.4) gets no route from node01 (PeerNotOnLink): "
            + "plain routing needs every node IP on this node's uplink network.",
        "Normal PeerReachable: Node far is routed from node01 again."));

    client.nodes().withName("far").delete();
    await().atMost(SOON).until(() -> isReady("node01") && lab.ip("node01", "route", "show", "proto", PROTO).lines().count() == 2);
    assertThat(nodeNetworkEvents("node02")).filteredOn(e -> e.contains("PeerUnreachable")).hasSize(1);
  }

  /** "Type Reason: message" of the Events about a NodeNetwork, oldest first. */
  private static List<String> nodeNetworkEvents(String node) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "NodeNetwork".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }

  @Test
  @Order(7)
  void aNodeNetworkDeletedByHandAndRecreatedMovesNoPeersRoute() throws Exception {
    NodeNetwork before = nodeNetwork("node02");
    String subnet = before.getSpec().getPodCIDR();
    List<String> deletions = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<NetlinkHandle> peers = new java.util.ArrayList<>();
    try {
      for (String node : List.of("node01", "node03")) {
        NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(lab.namespace(node)));
        peers.add(handle);
        handle.subscribe(event -> {
          if (event instanceof NetlinkEvent.RouteChanged changed && changed.deleted()
              && changed.route().destination().toString().equals(subnet)) {
            deletions.add(node + ": " + changed.route());
          }
        });
      }
      client.resource(before).delete();

      // The controller recreates it with the same subnet; the agent on node02 reports on it again.
      await().atMost(SOON).until(() -> nodeNetworkIfAny("node02")
          .filter(nn -> !nn.getMetadata().getUid().equals(before.getMetadata().getUid()) && subnet.equals(nn.getSpec().getPodCIDR()))
          .isPresent() && isReady("node02"));
      assertThat(deletions).as("route deletions on the peers while node02 kept its subnet").isEmpty();
      for (String node : List.of("node01", "node03")) {
        assertThat(lab.ip(node, "route", "show", "proto", PROTO)).contains(subnet + " via 192.168.1.12");
      }
    } finally {
      peers.forEach(NetlinkHandle::close);
    }
  }

  @Test
  @Order(7)
  void aRemovedPeersRouteDisappearsFromEveryNode() {
    registerNode("node04", "192.168.1.14");
    await().atMost(SOON).until(() -> nodeNetworkIfAny("node04").isPresent());
    String subnet = nodeNetwork("node04").getSpec().getPodCIDR();
    await().atMost(SOON).until(() -> NODES.keySet().stream()
        .allMatch(n -> lab.ip(n, "route", "show", "proto", PROTO).contains(subnet + " via 192.168.1.14")));

    client.nodes().withName("node04").delete();
    await().atMost(SOON).until(() -> NODES.keySet().stream()
        .noneMatch(n -> lab.ip(n, "route", "show", "proto", PROTO).contains(subnet)));
    assertThat(lab.ip("node01", "route", "show", "proto", PROTO).lines().count()).isEqualTo(2);
  }

  @Test
  @Order(8)
  void theReferencePluginsAttachPodsThatReachPodsOnOtherNodes(@TempDir Path ipam) throws Exception {
    Map<String, String> podAddress = new java.util.TreeMap<>();
    for (String node : NODES.keySet()) {
      String pod = lab.addNamespace("pod-" + node);
      CniRuntime runtime = new CniRuntime(CniRuntime.REFERENCE_PLUGINS, Optional.of(ipam.resolve(node)));
      CniRuntime.Result result = runtime.add(cniDirs.resolve(node).resolve("10-plainroute.conflist"), lab.namespace(node), pod, "eth0");
      String address = result.addresses().get(0).address().getHostAddress();
      assertThat(nodeNetwork(node).getSpec().getPodCIDR()).startsWith(address.substring(0, address.lastIndexOf('.')));
      podAddress.put(node, address);
    }
    for (String from : NODES.keySet()) {
      for (String to : NODES.keySet()) {
        if (!from.equals(to)) {
          lab.exec("pod-" + from, "ping", "-c", "1", "-W", "3", podAddress.get(to));
        }
      }
    }
  }

  @Test
  @Order(9)
  void agentsLogNoErrors() {
    for (OperatorProcess agent : agents.values()) {
      assertThat(agent.isAlive()).isTrue();
      assertThat(agent.logTail(400)).noneMatch(line -> line.contains("ERROR") || line.contains("Exception"));
    }
  }

  @Test
  @Order(10)
  void withTheApiServerDownTheDataplaneStaysAndDriftIsStillRepaired() {
    String routesBefore = lab.ip("node01", "route", "show", "proto", PROTO);
    String peerSubnet = nodeNetwork("node02").getSpec().getPodCIDR();
    // The API server's process is gone when this returns: its connections are closed, so every
    // agent's watches have failed and its informers retry.
    plane.stopApiServer();
    try {
      lab.ip("node01", "route", "del", peerSubnet);
      await().atMost(WITHOUT_RESYNC).pollInterval(Duration.ofMillis(50))
          .until(() -> lab.ip("node01", "route", "show", "proto", PROTO).contains(peerSubnet + " via 192.168.1.12"));
      // The repair is a pass made without the API server: having seen it, the rest of the
      // dataplane must be exactly as it was (a pass that tore down would have shown by now).
      assertThat(lab.ip("node01", "route", "show", "proto", PROTO)).isEqualTo(routesBefore);
      assertThat(lab.ip("node01", "-o", "link", "show", "cni0")).containsPattern("[<,]UP[,>]");
      agents.values().forEach(agent -> assertThat(agent.isAlive()).isTrue());
      // Liveness must not hang on the API server, or the kubelet would restart every agent now.
      assertThat(agents.get("node01").get("/q/health/live").status()).isEqualTo(200);
    } finally {
      plane.startStoppedApiServer();
    }
    assertThat(lab.ip("node01", "route", "show", "proto", PROTO)).isEqualTo(routesBefore);
  }

  @Test
  @Order(11)
  void stoppingAnAgentTearsNothingDownAndCleanupRemovesOnlyWhatPlainrouteMade() {
    OperatorProcess node03 = agents.get("node03");
    lab.ip("node03", "route", "add", "10.97.0.0/24", "via", "192.168.1.11", "proto", "static");
    node03.stop();
    agents.remove("node03");
    assertThat(lab.ip("node03", "route", "show", "proto", PROTO).lines().count()).as("routes survive the agent's exit").isEqualTo(2);

    try (OperatorProcess cleanup = cluster.agentOf("node03", "cleanup").start()) {
      await().atMost(Duration.ofSeconds(60)).until(() -> !cleanup.isAlive());
      assertThat(cleanup.logTail(50)).anyMatch(l -> l.contains("removed bridge cni0"));
    }
    assertThat(lab.ip("node03", "route", "show", "proto", PROTO)).isBlank();
    assertThat(lab.ip("node03", "-o", "link", "show")).doesNotContain("cni0");
    assertThat(lab.exec("node03", "nft", "list", "tables")).doesNotContain("plainroute");
    assertThat(cniDirs.resolve("node03").resolve("10-plainroute.conflist")).doesNotExist();
    assertThat(lab.ip("node03", "route", "show")).contains("10.97.0.0/24 via 192.168.1.11");
    assertThat(lab.ip("node03", "-o", "-4", "addr", "show", "dev", "eth0")).contains("192.168.1.13/24");
  }

  @Test
  @Order(12)
  void withProcSysReadOnlyForwardingOffIsReportedAndTheRoutesAreInstalledRegardless() {
    agents.remove("node01").stop();
    lab.exec("node01", "sysctl", "-qw", "net.ipv4.ip_forward=0");
    String peerSubnet = nodeNetwork("node02").getSpec().getPodCIDR();
    lab.ip("node01", "route", "del", peerSubnet);

    // As in the DaemonSet's container: /proc/sys read-only, so the agent may not turn forwarding on.
    startAgent("node01", List.of("unshare", "--mount", "sh", "-c",
        "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec \"$@\"", "sh"));

    await().atMost(SOON).pollInterval(Duration.ofMillis(100))
        .until(() -> lab.ip("node01", "route", "show", "proto", PROTO).contains(peerSubnet + " via 192.168.1.12"));
    await().atMost(SOON).untilAsserted(() -> assertThat(condition("node01", "RoutesReady")).hasValueSatisfying(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("ForwardingDisabled");
      assertThat(c.getMessage()).contains("net.ipv4.ip_forward=0").contains("sysctl -w net.ipv4.ip_forward=1");
    }));
    assertThat(condition("node01", "Ready")).map(Condition::getReason).contains("ForwardingDisabled");
    assertThat(lab.exec("node01", "cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("0");

    lab.exec("node01", "sysctl", "-qw", "net.ipv4.ip_forward=1");
    await().atMost(SOON).until(() -> isReady("node01"));
  }

  private static void startAgent(String node, List<String> wrapper) {
    cluster.startAgent(node, wrapper);
  }

  private static boolean isReady(String node) {
    return cluster.isReady(node);
  }

  private static Optional<Condition> condition(String node, String type) {
    return cluster.condition(node, type);
  }

  private static void registerNode(String name, String address) {
    cluster.registerNode(name, address);
  }

  private static Optional<NodeNetwork> nodeNetworkIfAny(String node) {
    return cluster.nodeNetwork(node);
  }

  private static NodeNetwork nodeNetwork(String node) {
    return cluster.nodeNetwork(node).orElseThrow(() -> new AssertionError("no NodeNetwork " + node));
  }
}
