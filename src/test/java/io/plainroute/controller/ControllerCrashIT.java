package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Invariants 1 and 2 under faults: nodes arrive in a burst while the controller is killed with
 * SIGKILL (no shutdown, writes cut off mid-flight, the lease left held) and replaced, twice.
 */
class ControllerCrashIT extends FreshControlPlaneBase {
  private static final int NODES = 300;
  private static final List<String> RANGES = List.of("10.244.0.0/15");

  @Test
  void threeHundredNodesInABurstWhileTheControllerIsKilledTwice() throws Exception {
    cluster.declare("default", RANGES, 24);
    controller = ControllerHarness.start(plane, "controller-1", "plainroute-controller", ControllerHarness.QUICK_LEASE);
    Instant begin = Instant.now();
    ExecutorService kubelets = Executors.newFixedThreadPool(8);
    List<Future<?>> registrations = IntStream.rangeClosed(1, NODES)
        .mapToObj(i -> kubelets.submit(() -> cluster.addNode(String.format("node%03d", i), "192.168." + (i / 250) + "." + (1 + i % 250))))
        .collect(Collectors.toList());

    Map<String, String> beforeFirstKill = killWhenAllocated(NODES / 5, "controller-2");
    Map<String, String> beforeSecondKill = killWhenAllocated(NODES * 3 / 5, "controller-3");
    for (Future<?> registration : registrations) {
      registration.get();
    }
    kubelets.shutdown();

    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
        .failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> cluster.nodeNetworks().size() == NODES && cluster.conditionIs("default", Conditions.READY, Conditions.TRUE));
    Duration converged = Duration.between(begin, Instant.now());

    Set<String> names = IntStream.rangeClosed(1, NODES).mapToObj(i -> String.format("node%03d", i)).collect(Collectors.toSet());
    cluster.assertAllocationIsSound(names, RANGES, 24);
    Map<String, String> after = cluster.podCIDRs();
    assertThat(after).as("subnets allocated before the first kill are kept").containsAllEntriesOf(beforeFirstKill);
    assertThat(after).as("subnets allocated before the second kill are kept").containsAllEntriesOf(beforeSecondKill);
    assertThat(cluster.clusterNetwork("default").getStatus().getAllocated()).isEqualTo(NODES);
    System.out.printf("[crash] %d nodes, controller SIGKILLed at %d and %d allocated subnets, converged in %.1f s: "
            + "%d distinct subnets, none overlapping, %d claims, each backing one NodeNetwork%n",
        NODES, beforeFirstKill.size(), beforeSecondKill.size(), converged.toMillis() / 1000.0,
        new HashMap<>(after).values().stream().distinct().count(), cluster.claims().size());
  }

  /** Kills the running controller once {@code allocated} nodes have a subnet, and starts another. */
  private Map<String, String> killWhenAllocated(int allocated, String next) {
    await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
        .failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> cluster.nodeNetworks().size() >= allocated);
    controller.process().kill9();
    Map<String, String> snapshot = cluster.podCIDRs();
    controller.close();
    controller = ControllerHarness.start(plane, next, "plainroute-controller", ControllerHarness.QUICK_LEASE);
    return snapshot;
  }
}
