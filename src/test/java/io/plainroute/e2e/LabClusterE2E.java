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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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

  private static final Duration CONVERGE = PodCluster.CONVERGE;

  private Lab lab;
  private PodCluster cluster;

  abstract Lab.Topology topology();

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    Instant begin = Instant.now();
    lab = Lab.up(topology());
    cluster = new PodCluster(lab, List.of("pod1", "pod2"), CONVERGE);
    for (String node : PodCluster.nodeNames(topology().nodes())) {
      cluster.startPods(node);
    }
    System.out.printf("[e2e] lab %s (%s, %d nodes, %s /%d) up with %d pods in %d s%n", lab.name(), topology().lan(),
        topology().nodes(), topology().clusterCidrs(), topology().nodePrefixLength(), cluster.podCount(),
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
    assertThat(lines).hasSize(cluster.nodes().size() + 1);
    List<String> subnets = new ArrayList<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] c = line.split("\\s+");
      String node = c[0];
      assertThat(cluster.nodes()).contains(node);
      assertThat(c[1]).isEqualTo(node);
      String podCidr = c[2];
      assertThat(cluster.insideClusterRange(podCidr)).as("pod CIDR %s of %s inside %s", podCidr, node, topology().clusterCidrs()).isTrue();
      assertThat(podCidr).endsWith("/" + topology().nodePrefixLength());
      assertThat(c[3]).isEqualTo(new IPAddressString(podCidr).getAddress().toZeroHost().increment(1).withoutPrefixLength().toString());
      assertThat(c[4]).isEqualTo(lab.exec(node, "ip", "-4", "-o", "addr", "show", "eth0").split("\\s+")[3].split("/")[0]);
      assertThat(c[5]).isEqualTo(Integer.toString(cluster.nodes().size() - 1));
      assertThat(c[6]).isEqualTo("True");
      subnets.add(podCidr);
    }
    assertThat(subnets).doesNotHaveDuplicates();
  }

  @Test
  @Order(2)
  void everyPodReachesEveryOtherPodByItsOwnAddress() throws Exception {
    cluster.assertFullMesh();
  }

  @Test
  @Order(3)
  void theReceivingPodSeesTheSendingPodsOwnAddress() {
    List<String> nodes = cluster.nodes();
    for (String node : nodes) {
      lab.lab("echo-server", node + "-pod1");
    }
    for (String from : nodes) {
      for (String to : nodes) {
        if (!from.equals(to)) {
          assertThat(lab.sourceSeenBy(from + "-pod1", cluster.pod(to, "pod1")))
              .as("source address seen by %s/pod1 for a datagram from %s/pod1", to, from)
              .isEqualTo(cluster.pod(from, "pod1"));
        }
      }
    }
  }

  @Test
  @Order(9)
  void trafficLeavingTheClusterIsMasqueradedToTheNodesAddress() {
    String outside = lab.lab("exec", "out", "ip", "-4", "-o", "addr", "show", "eth0").split("\\s+")[3].split("/")[0];
    // The outside host has no route to any pod subnet: answers reach pods only through the
    // node's connection tracking, i.e. because the node masqueraded.
    assertThat(lab.exec("out", "ip", "-4", "route").lines()).allSatisfy(route -> assertThat(cluster.insideClusterRange(route.split("\\s+")[0])).isFalse());
    lab.lab("echo-server", "out");
    for (String node : cluster.nodes()) {
      assertThat(lab.sourceSeenBy(node + "-pod2", outside)).as("source seen outside for %s/pod2", node)
          .isEqualTo(cluster.nodeAddress(node));
      assertThat(lab.ping(node + "-pod1", outside, 1)).isTrue();
    }
  }

  @Test
  @Order(4)
  void aPodDeletedThroughCniReleasesItsAddressAndItsInterfaces() {
    String node = cluster.nodes().get(0);
    lab.lab("pod", "add", node, "gone");
    String address = lab.lab("pod", "add", node, "extra").strip();
    String bridgePortsBefore = lab.exec(node, "ip", "-o", "link", "show", "master", "cni0");
    lab.lab("pod", "del", node, "extra");
    lab.lab("pod", "del", node, "gone");
    assertThat(lab.tryLab("exec", node + "-extra", "true").ok()).as("the pod's namespace is gone").isFalse();
    assertThat(lab.exec(node, "ip", "-o", "link", "show", "master", "cni0").lines().count())
        .as("bridge ports on %s after two pods were deleted", node)
        .isEqualTo(bridgePortsBefore.lines().count() - 2);
    // host-local keeps one file per address it handed out; DEL must have removed it.
    assertThat(lab.exec(node, "find", lab.state().resolve("nodes").resolve(node).resolve("ipam").toString(),
        "-name", address)).as("host-local's reservation of %s", address).isBlank();
    assertThat(cluster.pod(node, "pod1")).isNotEqualTo(address);
    assertThat(lab.ping(node + "-pod1", cluster.pod(cluster.nodes().get(1), "pod1"), 1)).isTrue();
  }

  @Test
  @Order(5)
  void aRouteDeletedByHandComesBack() {
    List<String> nodes = cluster.nodes();
    String node = nodes.get(0);
    String peer = nodes.get(nodes.size() - 1);
    String subnet = cluster.podCidr(peer);
    Instant deleted = Instant.now();
    lab.exec(node, "ip", "route", "del", subnet);
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
        .until(() -> lab.exec(node, "ip", "-4", "route", "show", subnet).contains("via " + cluster.nodeAddress(peer)));
    System.out.printf("[e2e] route %s on %s deleted by hand, back after %d ms%n", subnet, node,
        Duration.between(deleted, Instant.now()).toMillis());
    assertThat(lab.ping(node + "-pod1", cluster.pod(peer, "pod1"), 2)).isTrue();
  }

  @Test
  @Order(6)
  void killingTheControllerAndAnAgentLosesNoPacketBetweenExistingPods() throws Exception {
    List<String> nodes = cluster.nodes();
    String victim = nodes.get(0);
    String other = nodes.get(1);
    Map<String, String> subnetsBefore = cluster.podCidrs();
    // 10 s of pings at 5/s, across the crash and the restarts, from and to the victim's pods.
    ExecutorService pingers = Executors.newFixedThreadPool(2);
    try {
      Future<Lab.Result> toVictim = pingers.submit(() -> lab.tryLab("exec", other + "-pod1", "ping", "-c", "50", "-i", "0.2",
          "-W", "1", cluster.pod(victim, "pod1")));
      Future<Lab.Result> fromVictim = pingers.submit(() -> lab.tryLab("exec", victim + "-pod2", "ping", "-c", "50", "-i", "0.2",
          "-W", "1", cluster.pod(other, "pod2")));
      // Both pingers run before the crash: their packets cross it.
      await().atMost(Duration.ofSeconds(30)).until(() -> pinging(cluster.pod(victim, "pod1")) && pinging(cluster.pod(other, "pod2")));
      long controllerBefore = lab.pid("controller").orElseThrow();
      long agentBefore = lab.pid("agent-" + victim).orElseThrow();
      lab.lab("kill", "controller");
      lab.lab("kill", "agent", victim);
      // The outage lasts until the lab's supervisor (a kubelet's part) has started both again.
      await().atMost(Duration.ofSeconds(30)).until(() -> restarted("controller", controllerBefore) && restarted("agent-" + victim, agentBefore));
      for (Future<Lab.Result> ping : List.of(toVictim, fromVictim)) {
        Lab.Result result = ping.get();
        assertThat(result.stdout()).as("ping across the crash").contains("50 packets transmitted, 50 received, 0% packet loss");
      }
    } finally {
      pingers.shutdownNow();
    }
    lab.lab("wait-ready", "60");
    assertThat(cluster.podCidrs()).as("every node keeps its subnet across the restarts").isEqualTo(subnetsBefore);
    cluster.assertFullMesh();
  }

  @Test
  @Order(7)
  void aJoiningNodeIsRoutedToByEveryNodeWithinSecondsAndItsPodsAreReachable() throws Exception {
    String joining = "node" + String.format("%02d", topology().nodes() + 1);
    Instant registered = Instant.now();
    lab.lab("node", "add", joining);
    cluster.awaitRoutesConverged();
    System.out.printf("[e2e] %s joined: every node routes to %s after %d ms%n", joining, cluster.podCidr(joining),
        Duration.between(registered, Instant.now()).toMillis());
    cluster.startPods(joining);
    cluster.assertFullMesh();
  }

  @Test
  @Order(8)
  void aDeletedNodesRouteDisappearsEverywhereAndItsSubnetIsReused() throws Exception {
    String leaving = cluster.nodes().get(1);
    String freed = cluster.podCidr(leaving);
    Instant deleted = Instant.now();
    lab.lab("node", "delete", leaving);
    cluster.forget(leaving);
    cluster.awaitRoutesConverged();
    await().atMost(CONVERGE).until(() -> lab.client().resources(NodeNetwork.class).withName(leaving).get() == null);
    System.out.printf("[e2e] %s deleted: its route %s gone from every node after %d ms%n", leaving, freed,
        Duration.between(deleted, Instant.now()).toMillis());

    String next = "node" + String.format("%02d", topology().nodes() + 2);
    lab.lab("node", "add", next);
    cluster.awaitRoutesConverged();
    assertThat(cluster.podCidr(next)).as("the next node gets the freed subnet (lowest free)").isEqualTo(freed);
    cluster.startPods(next);
    cluster.assertFullMesh();
  }

  /** This test's 50 pings to {@code address} run (the lab's namespaces share the machine's processes). */
  private static boolean pinging(String address) {
    return ProcessHandle.allProcesses().anyMatch(p -> p.info().command().map(c -> c.endsWith("/ping")).orElse(false)
        && p.info().arguments().map(args -> args.length > 2 && args[0].equals("-c") && args[1].equals("50")
            && args[args.length - 1].equals(address)).orElse(false));
  }

  private boolean restarted(String process, long pidBefore) {
    return lab.pid(process).stream().anyMatch(pid -> pid != pidBefore);
  }
}
