package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.AgentCluster;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.NetnsLab;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the agent says about its node beyond its NodeNetwork, on a real kernel and a real control
 * plane whose kube-controller-manager runs the node lifecycle controller: the Node's
 * NetworkUnavailable condition, the taint the lifecycle controller makes of it, and status that
 * catches up as soon as the API server is back after an outage. The agents' periodic resync is
 * switched off here (one hour), so only the agent's own retry can bring status up to date.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NodeAvailabilityIT {
  private static final Duration SOON = Duration.ofSeconds(45);
  private static final Map<String, String> NODES = Map.of("node01", "192.168.1.11", "node02", "192.168.1.12");
  private static final String TAINT = "node.kubernetes.io/network-unavailable";

  @TempDir
  static Path cniDirs;
  private static AgentCluster cluster;
  private static NetnsLab lab;
  private static ControlPlane plane;
  private static KubernetesClient client;

  @BeforeAll
  static void start() {
    assumeThat(TestNamespaces.isRoot()).as("needs root: creates network namespaces and programs their kernels").isTrue();
    cluster = AgentCluster.builder("availability", cniDirs).nodes(NODES).controllers("garbagecollector", "nodelifecycle")
        .agentProperty("quarkus.operator-sdk.controllers.\"agent\".max-reconciliation-interval", "1h")
        .start();
    lab = cluster.lab();
    plane = cluster.plane();
    client = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void aNodeWhosePodNetworkBreaksIsTaintedUntilItIsRepaired() {
    await().atMost(SOON).until(() -> "False".equals(networkUnavailable("node01").map(NodeCondition::getStatus).orElse("")));
    assertThat(networkUnavailable("node01").orElseThrow().getReason()).isEqualTo("PlainrouteReady");
    assertThat(taints("node01")).doesNotContain(TAINT);

    // The node's address gone from its uplink: peers' packets for its pods have nowhere to arrive.
    lab.ip("node01", "addr", "del", NODES.get("node01") + "/24", "dev", "eth0");
    try {
      await().atMost(SOON).untilAsserted(() -> assertThat(networkUnavailable("node01")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("NodeIPNotFound");
      }));
      await().atMost(SOON).until(() -> taints("node01").contains(TAINT));
      assertThat(taints("node02")).doesNotContain(TAINT);
    } finally {
      lab.ip("node01", "addr", "add", NODES.get("node01") + "/24", "dev", "eth0");
    }
    await().atMost(SOON).until(() -> "False".equals(networkUnavailable("node01").map(NodeCondition::getStatus).orElse("")));
    await().atMost(SOON).until(() -> !taints("node01").contains(TAINT));
    assertThat(ready("node01").orElseThrow().getStatus()).isEqualTo("True");
  }

  @Test
  @Order(2)
  void statusCatchesUpAsSoonAsTheApiServerIsBack() {
    plane.stopApiServer();
    try {
      lab.ip("node02", "addr", "del", NODES.get("node02") + "/24", "dev", "eth0");
      // Longer than java-operator-sdk's default retries (five, over about 26 s): after those,
      // only the resync (switched off here) would have written status again.
      await().pollDelay(Duration.ofSeconds(35)).atMost(Duration.ofSeconds(36)).until(() -> true);
    } finally {
      plane.startStoppedApiServer();
    }
    try {
      await().atMost(SOON).untilAsserted(() -> assertThat(ready("node02")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("NodeIPNotFound");
      }));
      await().atMost(SOON).until(() -> "True".equals(networkUnavailable("node02").map(NodeCondition::getStatus).orElse("")));
    } finally {
      lab.ip("node02", "addr", "add", NODES.get("node02") + "/24", "dev", "eth0");
    }
    await().atMost(SOON).until(() -> "True".equals(ready("node02").map(Condition::getStatus).orElse("")));
  }

  private static Optional<Condition> ready(String node) {
    return cluster.condition(node, "Ready");
  }

  private static Optional<NodeCondition> networkUnavailable(String node) {
    Node n = client.nodes().withName(node).get();
    return n.getStatus() == null ? Optional.empty()
        : n.getStatus().getConditions().stream().filter(c -> "NetworkUnavailable".equals(c.getType())).findFirst();
  }

  private static List<String> taints(String node) {
    Node n = client.nodes().withName(node).get();
    return n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints().stream().map(Taint::getKey).toList();
  }
}
