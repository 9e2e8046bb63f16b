package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The scale variant of the e2e suite, not part of `make test` (it starts one agent JVM per node):
 * `make e2e-scale` (NODES=20 PODS=2 by default). Registers every node at once on a lab with the
 * lectures' LAN and range, measures the time from registration to every node's routes being
 * converged in the kernel, then checks full-mesh reachability between all pods.
 */
class ClusterScale {

  @Test
  void everyPodReachesEveryOtherPodOnALargeCluster() throws Exception {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    int nodes = Integer.getInteger("plainroute.scale.nodes", 20);
    int podsPerNode = Integer.getInteger("plainroute.scale.pods", 2);
    Duration converge = Duration.ofMinutes(10);
    try (Lab lab = Lab.up(new Lab.Topology("192.168.1.0/24", 0, List.of("10.244.0.0/16"), 24))) {
      PodCluster cluster = new PodCluster(lab,
          java.util.stream.IntStream.rangeClosed(1, podsPerNode).mapToObj(i -> "pod" + i).toList(), converge);
      // Nodes first, agents after: the controller's part is timed on its own, not behind the
      // start-up of one agent JVM per node on the same cores (on a real cluster those run on the
      // nodes themselves).
      Instant registering = Instant.now();
      for (String node : PodCluster.nodeNames(nodes)) {
        lab.lab("node", "add", node, "--no-agent");
      }
      Instant registered = Instant.now();
      await().atMost(converge).pollInterval(Duration.ofMillis(100)).until(() -> cluster.podCidrs().size() == nodes);
      Instant allocated = Instant.now();
      for (String node : PodCluster.nodeNames(nodes)) {
        lab.lab("start", "agent", node);
      }
      lab.lab("wait-ready", Long.toString(converge.toSeconds()));
      cluster.awaitRoutesConverged();
      Instant converged = Instant.now();
      for (String node : PodCluster.nodeNames(nodes)) {
        cluster.startPods(node);
      }
      Instant podsUp = Instant.now();
      cluster.assertFullMesh();
      Instant meshChecked = Instant.now();
      assertThat(cluster.podCidrs().values()).doesNotHaveDuplicates();
      System.out.printf("[scale] %d Node objects registered in %.1f s; every node had its subnet %.1f s after the"
              + " first registration (%.1f s after the last)%n",
          nodes, seconds(registering, registered), seconds(registering, allocated), seconds(registered, allocated));
      System.out.printf("[scale] %d agents started (one JVM each, on this machine's cores): every node Ready with %d"
              + " routes in its kernel %.1f s after the agents were started, %.1f s after the first registration%n",
          nodes, nodes - 1, seconds(allocated, converged), seconds(registering, converged));
      System.out.printf("[scale] %d pods started in %.1f s; full mesh (%d pairs) checked in %.1f s%n",
          cluster.podCount(), seconds(converged, podsUp), cluster.podCount() * (cluster.podCount() - 1),
          seconds(podsUp, meshChecked));
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
