package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller as a user meets it, each test on a fresh real control plane (kube-apiserver, etcd,
 * kube-controller-manager's garbage collector) with the packaged controller running as a process.
 */
class AllocationIT extends FreshControlPlaneBase {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final List<String> LECTURES = List.of("10.244.0.0/16");

  @BeforeEach
  void startTheController() {
    startController();
  }

  @Test
  void theLecturesThreeNodesGetOneSubnetEachAndTheTablesReadWell() throws Exception {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.12");
    cluster.addNode("node03", "192.168.1.13");

    awaitReady("default");
    cluster.assertAllocationIsSound(Set.of("node01", "node02", "node03"), LECTURES, 24);
    assertThat(cluster.nodeNetwork("node02").orElseThrow().getSpec().getNodeIP()).isEqualTo("192.168.1.12");
    for (String node : List.of("node01", "node02", "node03")) {
      assertThat(plane.client().nodes().withName(node).get().getSpec().getPodCIDR())
          .as("Node.spec.podCIDR of %s", node).isEqualTo(cluster.podCIDRs().get(node));
    }
    var status = cluster.clusterNetwork("default").getStatus();
    assertThat(List.of(status.getCapacity(), status.getAllocated(), status.getFree())).containsExactly(256L, 3L, 253L);

    String nodeNetworks = plane.kubectl("get", "nodenetworks").orThrow();
    assertThat(nodeNetworks.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "NODE", "POD-CIDR", "GATEWAY", "NODE-IP", "ROUTES", "READY", "AGE");
    assertThat(nodeNetworks).containsPattern("node01\\s+node01\\s+10\\.244\\.\\d+\\.0/24\\s+10\\.244\\.\\d+\\.1\\s+192\\.168\\.1\\.11\\s");
    assertThat(plane.kubectl("get", "nn", "node03", "-o", "name").orThrow().strip()).isEqualTo("nodenetwork.plainroute.io/node03");
    String clusterNetworks = plane.kubectl("get", "clusternetworks").orThrow();
    assertThat(clusterNetworks.lines().findFirst().orElseThrow().split("\\s+"))
        .containsExactly("NAME", "CIDRS", "NODE-PREFIX", "ALLOCATED", "CAPACITY", "READY", "AGE");
    assertThat(clusterNetworks).containsPattern("default\\s+\\S*10\\.244\\.0\\.0/16\\S*\\s+24\\s+3\\s+256\\s+True");

    // What a Prometheus scrape and the Deployment's probes see.
    assertThat(controller.metrics())
        .contains("plainroute_subnets{clusternetwork=\"default\",state=\"capacity\"} 256.0")
        .contains("plainroute_subnets{clusternetwork=\"default\",state=\"allocated\"} 3.0")
        .contains("plainroute_subnets{clusternetwork=\"default\",state=\"free\"} 253.0")
        .contains("plainroute_nodes_pending{clusternetwork=\"default\"} 0.0");
    // Reconcile counts and durations come from java-operator-sdk's Micrometer support.
    assertThat(controller.process().get("/q/metrics").body())
        .containsPattern("operator_sdk_reconciliations_success_total\\{[^}]*kind=\"ClusterNetwork\"[^}]*} [1-9]")
        .containsPattern("operator_sdk_controllers_execution_reconcile_seconds_count\\{controller=\"clusternetwork\"[^}]*} [1-9]");
    assertThat(controller.process().get("/q/health/live").status()).isEqualTo(200);
    assertThat(controller.process().get("/q/health/ready").status()).isEqualTo(200);
  }

  @Test
  void dualStackNodesGetASubnetOfEachFamilyAndExhaustionIsReportedPerFamily() throws Exception {
    List<String> ranges = List.of("10.244.0.0/16", "fd00:10:244::/63");
    cluster.declare("default", ranges, 24);
    cluster.addNode("node01", List.of("192.168.1.11", "fd00:1::11"), Map.of(), null);
    cluster.addNode("node02", List.of("192.168.1.12", "fd00:1::12"), Map.of(), null);
    await().atMost(SOON).until(() -> cluster.nodeNetworks().size() == 2
        && cluster.nodeNetworks().stream().allMatch(nn -> nn.getSpec().allPodCIDRs().size() == 2));
    cluster.addNode("node03", List.of("192.168.1.13", "fd00:1::13"), Map.of(), null);

    // The IPv6 range holds two /64s: node03 gets its IPv4 subnet and waits for an IPv6 one, named as such.
    await().atMost(SOON).until(() -> cluster.conditionIs("default", Conditions.POOL_EXHAUSTED, Conditions.TRUE));
    assertThat(cluster.condition("default", Conditions.POOL_EXHAUSTED).orElseThrow().getMessage())
        .contains("1 node(s) wait for an IPv6 subnet (node03): append an IPv6 range to spec.clusterCIDRs");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node03").isPresent());
    assertThat(cluster.nodeNetwork("node03").orElseThrow().getSpec().getPodCIDRs()).singleElement().asString().startsWith("10.244.");
    var families = cluster.clusterNetwork("default").getStatus().getFamilies();
    assertThat(families).extracting(f -> f.getFamily() + " " + f.getCapacity() + " " + f.getAllocated() + " " + f.getFree() + " " + f.getPending())
        .containsExactly("IPv4 256 3 253 0", "IPv6 2 2 0 1");

    cluster.appendRange("default", "fd00:20::/56");
    awaitReady("default");
    List<String> all = List.of("10.244.0.0/16", "fd00:10:244::/63", "fd00:20::/56");
    cluster.assertAllocationIsSound(Set.of("node01", "node02", "node03"), all, 24, 64);
    var node01 = cluster.nodeNetwork("node01").orElseThrow().getSpec();
    assertThat(node01.getNodeIPs()).containsExactly("192.168.1.11", "fd00:1::11");
    assertThat(cluster.nodeNetwork("node03").orElseThrow().getSpec().getPodCIDRs().get(1)).isEqualTo("fd00:20::/64");
    // Node.spec.podCIDRs as kube-controller-manager would write them: one per family, podCIDR first.
    for (String node : List.of("node01", "node02", "node03")) {
      var nn = cluster.nodeNetwork(node).orElseThrow().getSpec();
      var spec = plane.client().nodes().withName(node).get().getSpec();
      assertThat(spec.getPodCIDRs()).as("Node.spec.podCIDRs of %s", node).isEqualTo(nn.getPodCIDRs());
      assertThat(spec.getPodCIDR()).isEqualTo(nn.getPodCIDR());
    }
    assertThat(cluster.claims()).extracting(c -> c.getMetadata().getName())
        .contains("fd00-0010-0244-0000-0000-0000-0000-0000-64", "fd00-0020-0000-0000-0000-0000-0000-0000-64");

    // The primary family's columns, then the other family's in the wide view.
    String nodeNetworks = plane.kubectl("get", "nodenetworks", "-o", "wide").orThrow();
    assertThat(nodeNetworks.lines().findFirst().orElseThrow().split("\\s+")).containsExactly("NAME", "NODE", "POD-CIDR", "GATEWAY", "NODE-IP",
        "SECONDARY-POD-CIDR", "SECONDARY-GATEWAY", "SECONDARY-NODE-IP", "ROUTES", "READY", "AGE");
    assertThat(nodeNetworks).containsPattern("node01\\s+node01\\s+10\\.244\\.\\d+\\.0/24\\s+10\\.244\\.\\d+\\.1\\s+192\\.168\\.1\\.11"
        + "\\s+fd00:10:244:\\S*/64\\s+fd00:10:244:\\S*:1\\s+fd00:1::11\\s");
  }

  @Test
  void anIPv6OnlyClusterPutsIPv6InThePrimaryFieldsOfNodeNetworksAndNodes() throws Exception {
    List<String> ranges = List.of("fd00:10:244::/56");
    cluster.declare("default", ranges, 24, spec -> {
      spec.setNodeSubnetPrefixLengthIPv6(80);
      return spec;
    });
    cluster.addNode("node01", List.of("fd00:1::11"), Map.of(), null);
    cluster.addNode("node02", List.of("fd00:1::12"), Map.of(), null);
    awaitReady("default");
    cluster.assertAllocationIsSound(Set.of("node01", "node02"), ranges, 24, 80);
    var spec = cluster.nodeNetwork("node02").orElseThrow().getSpec();
    assertThat(spec.getPodCIDR()).isEqualTo("fd00:10:244:0:1::/80");
    assertThat(spec.getGateway()).isEqualTo("fd00:10:244:0:1::1");
    assertThat(spec.getNodeIP()).isEqualTo("fd00:1::12");
    assertThat(plane.client().nodes().withName("node02").get().getSpec().getPodCIDRs()).containsExactly("fd00:10:244:0:1::/80");
    var status = cluster.clusterNetwork("default").getStatus();
    assertThat(List.of(status.getCapacity(), status.getAllocated(), status.getFree())).containsExactly(16_777_216L, 2L, 16_777_214L);
  }

  @Test
  void anIPv4ClusterGainingAnIPv6RangeGivesEveryNodeAnIPv6SubnetWithoutMovingAnything() throws Exception {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", List.of("192.168.1.11", "fd00:1::11"), Map.of(), null);
    cluster.addNode("node02", List.of("192.168.1.12"), Map.of(), null);
    awaitReady("default");
    Map<String, String> before = cluster.podCIDRs();

    cluster.appendRange("default", "fd00:10:244::/56");
    await().atMost(SOON).until(() -> cluster.nodeNetworks().stream().allMatch(nn -> nn.getSpec().allPodCIDRs().size() == 2));
    awaitReady("default");
    assertThat(cluster.podCIDRs()).isEqualTo(before);
    cluster.assertAllocationIsSound(Set.of("node01", "node02"), List.of("10.244.0.0/16", "fd00:10:244::/56"), 24, 64);
    assertThat(cluster.nodeNetwork("node01").orElseThrow().getSpec().getNodeIPs()).containsExactly("192.168.1.11", "fd00:1::11");
    // node02 reports no IPv6 address yet: its IPv6 subnet waits for one, and peers get no IPv6 route to it meanwhile.
    assertThat(cluster.nodeNetwork("node02").orElseThrow().getSpec().getNodeIPs()).containsExactly("192.168.1.12", "");
    // ... and the Node says why: node02 has its IPv4 address, so this Event is about the IPv6 one.
    await().atMost(SOON).until(() -> cluster.nodeEvents("node02").contains("Warning NoNodeIP"));
    // Kubernetes lets Node.spec.podCIDRs be set once: they keep the IPv4 subnet alone.
    assertThat(plane.client().nodes().withName("node01").get().getSpec().getPodCIDRs()).containsExactly(before.get("node01"));
    assertThat(cluster.clusterNetwork("default").getStatus().getFamilies()).extracting(f -> f.getFamily() + " " + f.getAllocated())
        .containsExactly("IPv4 2", "IPv6 2");
  }

  @Test
  void otherRangesAndPrefixesWorkTheSame() throws Exception {
    List<String> ranges = List.of("172.20.64.0/20", "100.100.0.0/22");
    cluster.declare("campus", ranges, 26);
    for (int i = 1; i <= 70; i++) {
      cluster.addNode("worker-" + i, "10.50.0." + i);
    }
    await().atMost(SOON).until(() -> cluster.nodeNetworks().size() == 70);
    awaitReady("campus");
    cluster.assertAllocationIsSound(cluster.podCIDRs().keySet(), ranges, 26);
    // 64 /26s fill the first range; the remaining 6 nodes come from the appended one, in order.
    assertThat(cluster.podCIDRs().values()).filteredOn(c -> c.startsWith("100.100.")).hasSize(6);
    assertThat(cluster.clusterNetwork("campus").getStatus().getCapacity()).isEqualTo(64 + 16);
  }

  @Test
  void adoptsAPodCIDRTheNodeAlreadyHasWhenItIsInRangeAndFree() throws Exception {
    cluster.addNode("old-timer", "192.168.1.20", Map.of(), "10.244.77.0/24");
    cluster.addNode("stranger", "192.168.1.21", Map.of(), "10.99.0.0/24");
    cluster.declare("default", LECTURES, 24);

    awaitReady("default");
    assertThat(cluster.podCIDRs()).containsEntry("old-timer", "10.244.77.0/24");
    assertThat(cluster.podCIDRs().get("stranger")).startsWith("10.244.").isNotEqualTo("10.244.77.0/24");
    cluster.assertAllocationIsSound(Set.of("old-timer", "stranger"), LECTURES, 24);
  }

  @Test
  void aChangedNodeAddressIsFollowed() {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node01").isPresent());
    String subnet = cluster.podCIDRs().get("node01");

    cluster.setInternalIP("node01", "192.168.1.111");
    await().atMost(SOON).untilAsserted(() ->
        assertThat(cluster.nodeNetwork("node01").orElseThrow().getSpec().getNodeIP()).isEqualTo("192.168.1.111"));
    assertThat(cluster.podCIDRs()).containsEntry("node01", subnet);
  }

  @Test
  void aDeletedNodesSubnetIsFreedAndGoesToTheNextNode() throws Exception {
    cluster.declare("default", LECTURES, 24);
    for (int i = 1; i <= 3; i++) {
      cluster.addNode("node0" + i, "192.168.1.1" + i);
    }
    awaitReady("default");
    String freed = cluster.podCIDRs().get("node02");

    cluster.deleteNode("node02");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node02").isEmpty()
        && cluster.claims().stream().noneMatch(c -> c.getSpec().getNodeName().equals("node02")));
    cluster.addNode("node04", "192.168.1.14");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node04").isPresent());

    assertThat(cluster.podCIDRs().get("node04")).as("the lowest free subnet is the one node02 had").isEqualTo(freed);
    assertThat(cluster.clusterNetworkEvents("default"))
        .containsOnlyOnce("Normal SubnetReleased: Pod subnet " + freed + " of deleted node node02 returned to the pool.");
    awaitReady("default");
    cluster.assertAllocationIsSound(Set.of("node01", "node03", "node04"), LECTURES, 24);
  }

  @Test
  void exhaustionIsReportedAndAllocationResumesWhenASubnetFreesOrARangeIsAppended() throws Exception {
    cluster.declare("small", List.of("10.9.0.0/23"), 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.12");
    awaitReady("small");
    cluster.addNode("node03", "192.168.1.13");

    await().atMost(SOON).until(() -> cluster.conditionIs("small", Conditions.POOL_EXHAUSTED, Conditions.TRUE));
    assertThat(cluster.condition("small", Conditions.POOL_EXHAUSTED).orElseThrow().getMessage())
        .contains("1 node(s) wait for a subnet (node03)").contains("append a range to spec.clusterCIDRs");
    assertThat(cluster.condition("small", Conditions.READY).orElseThrow().getReason()).isEqualTo("PoolExhausted");
    await().atMost(SOON).until(() -> cluster.nodeEvents("node03").contains("Warning SubnetPoolExhausted"));
    assertThat(cluster.clusterNetworkEvents("small")).filteredOn(e -> e.startsWith("Warning SubnetPoolExhausted"))
        .containsExactly("Warning SubnetPoolExhausted: No free pod subnet for 1 node(s): append a range to spec.clusterCIDRs or delete nodes that are gone.");
    assertThat(controller.metrics())
        .contains("plainroute_nodes_pending{clusternetwork=\"small\"} 1.0")
        .contains("plainroute_subnets{clusternetwork=\"small\",state=\"free\"} 0.0");
    assertThat(controller.process().isAlive()).isTrue();

    cluster.deleteNode("node01");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node03").isPresent());
    awaitReady("small");

    cluster.addNode("node04", "192.168.1.14");
    await().atMost(SOON).until(() -> cluster.conditionIs("small", Conditions.POOL_EXHAUSTED, Conditions.TRUE));
    cluster.appendRange("small", "10.10.0.0/23");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node04").isPresent());
    awaitReady("small");
    assertThat(cluster.podCIDRs().get("node04")).isEqualTo("10.10.0.0/24");
    assertThat(controller.metrics()).contains("plainroute_nodes_pending{clusternetwork=\"small\"} 0.0");
    cluster.assertAllocationIsSound(Set.of("node02", "node03", "node04"), List.of("10.9.0.0/23", "10.10.0.0/23"), 24);
  }

  @Test
  void aRangeHoldingANodeAddressIsReportedAndNothingWorkingIsTornDown() throws Exception {
    cluster.declare("default", List.of("10.244.0.0/16"), 24);
    cluster.addNode("node01", "192.168.1.11");
    awaitReady("default");
    Map<String, String> before = cluster.podCIDRs();

    cluster.addNode("misfit", "10.244.1.7");
    await().atMost(SOON).until(() -> cluster.conditionIs("default", Conditions.INVALID_SPEC, Conditions.TRUE));
    assertThat(cluster.condition("default", Conditions.INVALID_SPEC).orElseThrow().getMessage())
        .contains("spec.clusterCIDRs[0]: 10.244.0.0/16 contains the address 10.244.1.7 of node misfit");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("misfit").isPresent());
    assertThat(cluster.podCIDRs()).containsAllEntriesOf(before);
    assertThat(cluster.podCIDRs().get("misfit")).as("never the subnet that holds the node's own address").isNotEqualTo("10.244.1.0/24");
  }

  @Test
  void aSecondClusterNetworkIsReportedAsAConflictNotMerged() throws Exception {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    awaitReady("default");
    // creationTimestamp has one-second resolution: "another" must be created in a later second.
    Instant defaultCreated = Instant.parse(cluster.clusterNetwork("default").getMetadata().getCreationTimestamp());
    await().atMost(SOON).until(() -> Instant.now().getEpochSecond() > defaultCreated.getEpochSecond());
    cluster.declare("another", List.of("10.250.0.0/16"), 24);

    await().atMost(SOON).until(() -> cluster.conditionIs("another", Conditions.READY, Conditions.FALSE));
    assertThat(cluster.condition("another", Conditions.READY).orElseThrow())
        .satisfies(c -> assertThat(c.getReason()).isEqualTo("ConflictingClusterNetwork"))
        .satisfies(c -> assertThat(c.getMessage()).contains("ClusterNetwork default is already the cluster's"));
    cluster.addNode("node02", "192.168.1.12");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node02").isPresent());
    assertThat(cluster.podCIDRs().values()).allMatch(c -> c.startsWith("10.244."));
    assertThat(cluster.conditionIs("default", Conditions.READY, Conditions.TRUE)).isTrue();
  }

  @Test
  void nodesSharingANodeIPOrAnUplinkMacAreFlaggedUntilFixed() {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.11");
    cluster.addNode("node03", "192.168.1.13");
    cluster.addNode("node04", "192.168.1.14");
    await().atMost(SOON).until(() -> conflictReason("node01").equals("DuplicateNodeIP") && conflictReason("node02").equals("DuplicateNodeIP"));
    assertThat(cluster.nodeNetwork("node01").orElseThrow().getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Conflict")).singleElement()
        .satisfies(c -> assertThat(c.getMessage()).contains("Nodes node01, node02 all report node IP 192.168.1.11"));
    assertThat(conflictReason("node03")).isEmpty();

    // Cloned VMs: the agents on node03 and node04 report the same uplink MAC.
    reportUplinkMac("node03", "02:42:ac:11:00:02");
    reportUplinkMac("node04", "02:42:ac:11:00:02");
    await().atMost(SOON).until(() -> conflictReason("node03").equals("DuplicateMAC") && conflictReason("node04").equals("DuplicateMAC"));

    cluster.setInternalIP("node02", "192.168.1.12");
    await().atMost(SOON).until(() -> conflictReason("node01").equals("NoConflict") && conflictReason("node02").equals("NoConflict"));
    assertThat(cluster.nodeNetwork("node04").orElseThrow().getStatus().getUplink().getMac()).isEqualTo("02:42:ac:11:00:02");
  }

  private String conflictReason(String node) {
    return cluster.nodeNetwork(node).map(nn -> nn.getStatus()).map(s -> s.getConditions().stream()
        .filter(c -> c.getType().equals("Conflict")).map(c -> c.getReason()).findFirst().orElse("")).orElse("");
  }

  private void reportUplinkMac(String node, String mac) {
    await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
      var nn = cluster.nodeNetwork(node).orElseThrow();
      var status = nn.getStatus() == null ? new io.plainroute.api.v1alpha1.NodeNetworkStatus() : nn.getStatus();
      var uplink = new io.plainroute.api.v1alpha1.Uplink();
      uplink.setName("eth0");
      uplink.setMac(mac);
      uplink.setMtu(1500);
      status.setUplink(uplink);
      nn.setStatus(status);
      plane.client().resource(nn).updateStatus();
    });
  }

  @Test
  void onlySelectedNodesGetASubnet() {
    cluster.declare("default", LECTURES, 24, spec -> {
      spec.setNodeSelector(Map.of("plainroute.io/pod-network", "plain"));
      return spec;
    });
    cluster.addNode("chosen", "192.168.1.11", Map.of("plainroute.io/pod-network", "plain"), null);
    cluster.addNode("other", "192.168.1.12", Map.of("plainroute.io/pod-network", "overlay"), null);
    awaitReady("default");
    assertThat(cluster.podCIDRs()).containsOnlyKeys("chosen");
  }

  @Test
  void aNodeDeletedWhileTheControllerIsDownIsCleanedUpByTheGarbageCollector() throws Exception {
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.12");
    awaitReady("default");
    String freed = cluster.podCIDRs().get("node01");

    controller.process().kill9();
    cluster.deleteNode("node01");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node01").isEmpty()
        && cluster.claims().stream().noneMatch(c -> c.getSpec().getNodeName().equals("node01")));

    controller.close();
    controller = ControllerHarness.start(plane, "controller-2", "plainroute-controller");
    cluster.addNode("node03", "192.168.1.13");
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetwork("node03").isPresent());
    assertThat(cluster.podCIDRs()).containsEntry("node03", freed);
  }

  private void awaitReady(String clusterNetwork) {
    await().atMost(SOON).pollInterval(Duration.ofMillis(200))
        .failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> cluster.conditionIs(clusterNetwork, Conditions.READY, Conditions.TRUE));
  }
}
