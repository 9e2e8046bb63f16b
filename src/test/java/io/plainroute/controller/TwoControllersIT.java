package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.plainroute.api.v1alpha1.Conditions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two controller replicas: normally one leads; even if both act at once, no subnet is given twice. */
class TwoControllersIT extends FreshControlPlaneBase {
  private static final List<String> RANGES = List.of("10.244.0.0/16");

  private ControllerHarness.Controller first;
  private ControllerHarness.Controller second;

  @AfterEach
  void stopReplicas() {
    for (ControllerHarness.Controller c : new ControllerHarness.Controller[] {first, second}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /**
   * A split brain on purpose: each replica has a lease of its own, so both lead and both allocate
   * for the same burst of nodes. The API server's refusal of a second claim keeps them apart.
   */
  @Test
  void twoInstancesAllocatingAtOnceNeverHandOutASubnetTwice() throws Exception {
    cluster.declare("default", RANGES, 24);
    first = ControllerHarness.start(plane, "replica-a", "lease-a");
    second = ControllerHarness.start(plane, "replica-b", "lease-b");
    // Bursts of nodes until both replicas have won some: which one wins a node is up to timing
    // (one may still be syncing its caches), and a race only one side ran would prove nothing.
    int nodes = 0;
    for (int burst = 1; burst <= 4 && (nodes == 0 || first.allocations() == 0 || second.allocations() == 0); burst++) {
      addNodes(nodes + 1, nodes + 60);
      nodes += 60;
      int expected = nodes;
      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .until(() -> cluster.nodeNetworks().size() == expected && cluster.conditionIs("default", Conditions.READY, Conditions.TRUE));
    }
    // A replica that lost a node to the other gives its claim back in the same pass; the claims
    // of a pass cut short are given back by the next one.
    Set<String> all = names(1, nodes);
    await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> cluster.assertAllocationIsSound(all, RANGES, 24));
    long byFirst = first.allocations();
    long bySecond = second.allocations();
    System.out.printf("[split-brain] %d nodes: replica-a allocated %d, replica-b %d, no subnet twice%n", nodes, byFirst, bySecond);
    assertThat(byFirst + bySecond).as("every allocation was made by one of them").isEqualTo(nodes);
    assertThat(byFirst).as("replica-a took part in the race").isPositive();
    assertThat(bySecond).as("replica-b took part in the race").isPositive();
  }

  @Test
  void aStandbyTakesOverWhenTheLeaderDiesAndKeepsEverySubnet() throws Exception {
    cluster.declare("default", RANGES, 24);
    first = ControllerHarness.start(plane, "replica-a", "plainroute-controller", ControllerHarness.QUICK_LEASE);
    second = ControllerHarness.start(plane, "replica-b", "plainroute-controller", ControllerHarness.QUICK_LEASE);
    addNodes(1, 20);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetworks().size() == 20);
    ControllerHarness.Controller leader = first.allocations() > 0 ? first : second;
    ControllerHarness.Controller standby = leader == first ? second : first;
    assertThat(standby.allocations()).as("the standby does nothing while the leader lives").isZero();
    // A standby must count as ready, or a Deployment's rolling update would wait for it forever.
    for (ControllerHarness.Controller replica : List.of(leader, standby)) {
      assertThat(replica.process().get("/q/health/ready")).as("readiness of %s", replica == leader ? "the leader" : "the standby")
          .extracting(a -> a.status()).isEqualTo(200);
      assertThat(replica.process().get("/q/health/live").status()).isEqualTo(200);
    }
    Map<String, String> before = cluster.podCIDRs();

    leader.process().kill9();
    addNodes(21, 30);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetworks().size() == 30);
    // Its log line follows each NodeNetwork's create by moments, and chains for new nodes run side by side.
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(standby.allocations()).isEqualTo(10));
    assertThat(cluster.podCIDRs()).containsAllEntriesOf(before);
    cluster.assertAllocationIsSound(names(1, 30), RANGES, 24);
  }

  @Test
  void aLeaderStoppedWithSigtermExitsByItselfAndItsStandbyTakesOver() throws Exception {
    cluster.declare("default", RANGES, 24);
    first = ControllerHarness.start(plane, "replica-a", "plainroute-controller", ControllerHarness.QUICK_LEASE);
    addNodes(1, 1);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetworks().size() == 1);
    second = ControllerHarness.start(plane, "replica-b", "plainroute-controller", ControllerHarness.QUICK_LEASE);
    // A rolling update sends SIGTERM; a replica that hangs in shutdown holds the Lease until the
    // kubelet's SIGKILL (java-operator-sdk's exit-on-stop-leading deadlocked exactly there).
    assertThat(first.process().terminate(Duration.ofSeconds(20))).as("replica-a exited after SIGTERM").isTrue();
    addNodes(2, 3);
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetworks().size() == 3);
    // Its log line follows the API server's answer: the NodeNetwork can be seen a moment before.
    await().atMost(Duration.ofSeconds(10)).until(() -> second.allocations() >= 2);
    assertThat(second.allocations()).isEqualTo(2);
  }

  private void addNodes(int from, int to) throws Exception {
    ExecutorService kubelets = Executors.newFixedThreadPool(8);
    List<Future<Node>> registrations = IntStream.rangeClosed(from, to)
        .mapToObj(i -> kubelets.submit(() -> cluster.addNode(name(i), "192.168." + (i / 250) + "." + (1 + i % 250)))).toList();
    for (Future<Node> registration : registrations) {
      registration.get(60, TimeUnit.SECONDS);
    }
    kubelets.shutdown();
  }

  private static Set<String> names(int from, int to) {
    return IntStream.rangeClosed(from, to).mapToObj(TwoControllersIT::name).collect(Collectors.toSet());
  }

  private static String name(int i) {
    return String.format("node%03d", i);
  }
}
