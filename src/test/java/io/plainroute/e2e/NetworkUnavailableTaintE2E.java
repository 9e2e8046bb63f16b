package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 10's "Node's own NetworkUnavailable", end to end in the lab, whose kube-controller-manager
 * runs the node lifecycle controller as a cluster's does: a node whose pod network breaks in a way
 * its agent sees and cannot repair gets the taint {@code node.kubernetes.io/network-unavailable}
 * (the scheduler keeps pods off it), and loses it once repaired.
 *
 * <p>The break: the Node's InternalIP names an address the node does not hold — what a node
 * renumbered (a new DHCP lease, a moved VM) looks like while its kubelet still reports the old
 * address. Peers route the node's pod subnet to an address nobody answers; the agent sees that no
 * interface holds its node IP and cannot repair it, since the node's addresses are not plainroute's.
 * Breaking it on the API side keeps the node's own address, over which its agent reaches the API
 * server in the lab, so the agent can still report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NetworkUnavailableTaintE2E {
  private static final Duration SOON = Duration.ofSeconds(60);
  private static final String TAINT = "node.kubernetes.io/network-unavailable";
  /** On the lab's LAN, held by no node. */
  private static final String NOBODYS_ADDRESS = "192.168.1.99";

  private Lab lab;

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    lab = Lab.up(new Lab.Topology("192.168.1.0/24", 2, List.of("10.244.0.0/16"), 24));
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void aNodeWhosePodNetworkBreaksIsTaintedUntilItIsRepaired() {
    KubernetesClient client = lab.client();
    await().atMost(SOON).until(() -> "False".equals(networkUnavailable(client, "node01").map(NodeCondition::getStatus).orElse("")));
    assertThat(taints(client, "node01")).doesNotContain(TAINT);
    String nodeIP = internalIP(client, "node01");

    setInternalIP(client, "node01", NOBODYS_ADDRESS);
    try {
      await().atMost(SOON).untilAsserted(() -> assertThat(networkUnavailable(client, "node01")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("True");
        assertThat(c.getReason()).isEqualTo("NodeIPNotFound");
      }));
      await().atMost(SOON).until(() -> taints(client, "node01").contains(TAINT));
      assertThat(taints(client, "node02")).doesNotContain(TAINT);
    } finally {
      setInternalIP(client, "node01", nodeIP);
    }
    await().atMost(SOON).until(() -> "False".equals(networkUnavailable(client, "node01").map(NodeCondition::getStatus).orElse("")));
    await().atMost(SOON).until(() -> !taints(client, "node01").contains(TAINT));
  }

  private static String internalIP(KubernetesClient client, String node) {
    return client.nodes().withName(node).get().getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType()))
        .map(NodeAddress::getAddress).findFirst().orElseThrow();
  }

  private static void setInternalIP(KubernetesClient client, String node, String address) {
    client.nodes().withName(node).editStatus(n -> {
      n.getStatus().getAddresses().stream().filter(a -> "InternalIP".equals(a.getType())).forEach(a -> a.setAddress(address));
      return n;
    });
  }

  private static Optional<NodeCondition> networkUnavailable(KubernetesClient client, String node) {
    Node n = client.nodes().withName(node).get();
    return n.getStatus() == null ? Optional.empty()
        : n.getStatus().getConditions().stream().filter(c -> "NetworkUnavailable".equals(c.getType())).findFirst();
  }

  private static List<String> taints(KubernetesClient client, String node) {
    Node n = client.nodes().withName(node).get();
    return n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints().stream().map(Taint::getKey).toList();
  }
}
