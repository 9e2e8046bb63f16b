package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inet.ipaddr.IPAddressString;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole product end to end on the lab of {@code hack/lab} (the one {@code make demo} runs):
 * a real control plane reachable over the lab's LAN, the controller, one agent inside each node's
 * namespace, pods attached by the reference CNI plugins with the conflist the agent wrote. One lab
 * per topology; the tests run in order because the later ones change the cluster (a node joins,
 * one is deleted, processes are killed).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class LabClusterE2E {

  private static final Duration CONVERGE = Duration.ofSeconds(60);
  private static final List<String> PODS = List.of("pod1", "pod2");

  private Lab lab;
  // node -> pod -> address, for the pods that exist now
  private final Map<String, Map<String, String>> pods = new LinkedHashMap<>();

  abstract Lab.Topology topology();

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    Instant begin = Instant.now();
    lab = Lab.up(topology());
    for (String node : nodeNames(topology().nodes())) {
      startPods(node);
    }
    System.out.printf("[e2e] lab %s (%s, %d nodes, %s /%d) up with %d pods in %d s%n", lab.name(), topology().lan(),
        topology().nodes(), topology().clusterCidrs(), topology().nodePrefixLength(), podCount(),
        Duration.between(begin, Instant.now()).toSeconds());
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void kubectlShowsEveryNodeReadyWithItsSubnetAndRoutes() {
    List<String> lines = lab.kubectl("get", "nodenetworks").lines().toList();
    assertThat(lines.get(0).split("\\s+"))
        .containsExactly("NAME", "NODE", "POD-CIDR", "GATEWAY", "NODE-IP", "ROUTES", "READY", "AGE");
    assertThat(lines).hasSize(pods.size() + 1);
    List<String> subnets = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\\s+");
      String node = c[0];
      assertThat(pods).containsKey(node);
      assertThat(c[1]).isEqualTo(node);
      assertThat(insideClusterRange(c[2])).as("pod CIDR %s of %s inside %s", c[2], node, topology().clusterCidrs()).isTrue();
      assertThat(c[2]).endsWith("/" + topology().nodePrefixLength());
      assertThat(c[3]).isEqualTo(new IPAddressString(c[2]).getAddress().toZeroHost().increment(1).withoutPrefixLength().toString());
      assertThat(c[4]).isEqualTo(lab.exec(node, "ip", "-4", "-o", "addr", "show", "eth0").split("\\s+")[3].split("/")[0]);
      assertThat(c[5]).isEqualTo(Integer.toString(pods.size() - 1));
      assertThat(c[6]).isEqualTo("True");
      subnets.add(c[2]);
    }
    assertThat(subnets).doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void everyPodReachesEveryOtherPodByItsOwnAddress() throws Exception {
    assertFullMesh();
  }

  @Test
  @Order(3)
  void theReceivingPodSeesTheSendingPodsOwnAddress() {
    List<String> nodes = List.copyOf(pods.keySet());
    for (String node : nodes) {
      lab.lab("echo-server", node + "-pod1");
    }
    for (String from : nodes) {
      for (String to : nodes) {
        if (!from.equals(to)) {
          assertThat(lab.sourceSeenBy(from + "-pod1", pods.get(to).get("pod1")))
              .as("source address seen by %s/pod1 for a datagram from %s/pod1", to, from)
              .isEqualTo(pods.get(from).get("pod1"));
        }
      }
    }
  }

  @Test
  @Order(4)
  void trafficLeavingTheClusterIsMasqueradedToTheNodesAddress() {
    String outside = lab.lab("exec", "out", "ip", "-4", "-o", "addr", "show", "eth0").split("\\s+")[3].split("/")[0];
    // The outside host has no route to any pod subnet: answers reach pods only through the
    // node's connection tracking, i.e. because the node masqueraded.
    assertThat(lab.exec("out", "ip", "-4", "route").lines()).allSatisfy(route -> assertThat(insideClusterRange(route.split("\\s+")[0])).isFalse());
    lab.lab("echo-server", "out");
    for (String node : pods.keySet()) {
      assertThat(lab.sourceSeenBy(node + "-pod2", outside)).as("source seen outside for %s/pod2", node)
          .isEqualTo(nodeAddress(node));
      assertThat(lab.ping(node + "-pod1", outside, 1)).isTrue();
    }
  }

  @Test
  @Order(5)
  void aRouteDeletedByHandComesBack() {
    List<String> nodes = List.copyOf(pods.keySet());
    String node = nodes.get(0);
    String peer = nodes.get(nodes.size() - 1);
    String subnet = podCidr(peer);
    Instant deleted = Instant.now();
    lab.exec(node, "ip", "route", "del", subnet);
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
        .until(() -> lab.exec(node, "ip", "-4", "route", "show", subnet).contains("via " + nodeAddress(peer)));
    System.out.printf("[e2e] route %s on %s deleted by hand, back after %d ms%n", subnet, node,
        Duration.between(deleted, Instant.now()).toMillis());
    assertThat(lab.ping(node + "-pod1", pods.get(peer).get("pod1"), 2)).isTrue();
  }

  @Test
  @Order(6)
  void killingTheControllerAndAnAgentLosesNoPacketBetweenExistingPods() throws Exception {
    List<String> nodes = List.copyOf(pods.keySet());
    String victim = nodes.get(0);
    String other = nodes.get(1);
    Map<String, String> subnetsBefore = podCidrs();
    // 10 s of pings at 5/s, across the crash and the restarts, from and to the victim's pods.
    ExecutorService pingers = Executors.newFixedThreadPool(2);
    try {
      Future<Lab.Result> toVictim = pingers.submit(() -> lab.tryLab("exec", other + "-pod1", "ping", "-c", "50", "-i", "0.2",
          "-W", "1", pods.get(victim).get("pod1")));
      Future<Lab.Result> fromVictim = pingers.submit(() -> lab.tryLab("exec", victim + "-pod2", "ping", "-c", "50", "-i", "0.2",
          "-W", "1", pods.get(other).get("pod2")));
      Thread.sleep(1_000);
      lab.lab("kill", "controller");
      lab.lab("kill", "agent", victim);
      Thread.sleep(2_000);
      lab.lab("start", "agent", victim);
      lab.lab("start", "controller");
      for (Future<Lab.Result> ping : List.of(toVictim, fromVictim)) {
        Lab.Result result = ping.get();
        assertThat(result.stdout()).as("ping across the crash").contains("50 packets transmitted, 50 received, 0% packet loss");
      }
    } finally {
      pingers.shutdownNow();
    }
    lab.lab("wait-ready", "60");
    assertThat(podCidrs()).as("every node keeps its subnet across the restarts").isEqualTo(subnetsBefore);
    assertFullMesh();
  }

  @Test
  @Order(7)
  void aJoiningNodeIsRoutedToByEveryNodeWithinSecondsAndItsPodsAreReachable() throws Exception {
    String joining = "node" + String.format("%02d", topology().nodes() + 1);
    Instant registered = Instant.now();
    lab.lab("node", "add", joining);
    awaitRoutesConverged();
    System.out.printf("[e2e] %s joined: every node routes to %s after %d ms%n", joining, podCidr(joining),
        Duration.between(registered, Instant.now()).toMillis());
    startPods(joining);
    assertFullMesh();
  }

  @Test
  @Order(8)
  void aDeletedNodesRouteDisappearsEverywhereAndItsSubnetIsReused() throws Exception {
    String leaving = List.copyOf(pods.keySet()).get(1);
    String freed = podCidr(leaving);
    Instant deleted = Instant.now();
    lab.lab("node", "delete", leaving);
    pods.remove(leaving);
    awaitRoutesConverged();
    await().atMost(CONVERGE).until(() -> lab.client().resources(NodeNetwork.class).withName(leaving).get() == null);
    System.out.printf("[e2e] %s deleted: its route %s gone from every node after %d ms%n", leaving, freed,
        Duration.between(deleted, Instant.now()).toMillis());

    String next = "node" + String.format("%02d", topology().nodes() + 2);
    lab.lab("node", "add", next);
    awaitRoutesConverged();
    assertThat(podCidr(next)).as("the next node gets the freed subnet (lowest free)").isEqualTo(freed);
    startPods(next);
    assertFullMesh();
  }

  // --- helpers ---------------------------------------------------------------------------------

  private void startPods(String node) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String pod : PODS) {
      addresses.put(pod, lab.addPod(node, pod));
    }
    pods.put(node, addresses);
  }

  private int podCount() {
    return pods.values().stream().mapToInt(Map::size).sum();
  }

  /** Every pod pings every other pod (on its own node too); all failures are reported at once. */
  private void assertFullMesh() throws Exception {
    record Probe(String from, String to, String address) {
    }
    List<Probe> probes = new ArrayList<>();
    pods.forEach((fromNode, fromPods) -> fromPods.keySet().forEach(fromPod ->
        pods.forEach((toNode, toPods) -> toPods.forEach((toPod, address) -> {
          if (!(fromNode.equals(toNode) && fromPod.equals(toPod))) {
            probes.add(new Probe(fromNode + "-" + fromPod, toNode + "-" + toPod, address));
          }
        }))));
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = probes.stream().map(p -> pool.submit(() -> {
        if (!lab.ping(p.from(), p.address(), 1)) {
          failed.add(p.from() + " -> " + p.to() + " (" + p.address() + ")");
        }
      })).<Future<?>>map(f -> f).toList();
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failed).as("pod pairs that could not reach each other, of %d", probes.size()).isEmpty();
    System.out.printf("[e2e] full mesh: %d pod pairs over %d nodes, all reachable%n", probes.size(), pods.size());
  }

  /** Every node of the lab routes (proto 202, via the peer's address) to every other node's subnet, and to nothing else. */
  private void awaitRoutesConverged() {
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      Map<String, String> cidrs = podCidrs();
      List<String> nodes = lab.kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").strip().lines()
          .flatMap(l -> List.of(l.split(" ")).stream()).toList();
      assertThat(cidrs.keySet()).containsExactlyInAnyOrderElementsOf(nodes);
      for (String node : nodes) {
        List<String> expected = new ArrayList<>();
        cidrs.forEach((peer, cidr) -> {
          if (!peer.equals(node)) {
            expected.add(cidr + " via " + nodeAddress(peer) + " dev eth0");
          }
        });
        assertThat(lab.exec(node, "ip", "-4", "route", "show", "proto", "202").lines().map(String::strip).toList())
            .as("plainroute routes on %s", node).containsExactlyInAnyOrderElementsOf(expected);
      }
    });
  }

  private Map<String, String> podCidrs() {
    Map<String, String> cidrs = new LinkedHashMap<>();
    for (NodeNetwork nn : lab.client().resources(NodeNetwork.class).list().getItems()) {
      if (nn.getSpec() != null && nn.getSpec().getPodCIDR() != null) {
        cidrs.put(nn.getMetadata().getName(), nn.getSpec().getPodCIDR());
      }
    }
    return cidrs;
  }

  private String podCidr(String node) {
    await().atMost(CONVERGE).until(() -> podCidrs().containsKey(node));
    return podCidrs().get(node);
  }

  private String nodeAddress(String node) {
    return lab.kubectl("get", "node", node, "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").strip();
  }

  private boolean insideClusterRange(String cidr) {
    if (!cidr.contains("/")) {
      return false;
    }
    var subnet = new IPAddressString(cidr).getAddress();
    return topology().clusterCidrs().stream().anyMatch(range -> new IPAddressString(range).getAddress().contains(subnet));
  }

  static List<String> nodeNames(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("node%02d", i)).toList();
  }
}
