package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the controller owns and what its status says when someone else changes it: NodeNetwork spec
 * fields it derives (reverted), nodes in conflict (not Ready, with Events), a ClusterNetwork
 * declared anew over other ranges (not Ready while nodes hold subnets outside them), and a pass
 * that fails (a condition a person can act on). Each test on a fresh real control plane.
 */
class NodeNetworkOwnershipIT extends FreshControlPlaneBase {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final List<String> LECTURES = List.of("10.244.0.0/16");

  @Test
  void aHandEditedNodeNameIsPutBackAndAGatewayEditIsRefused() {
    startController();
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node01").isPresent());
    NodeNetwork before = cluster.nodeNetwork("node01").orElseThrow();

    // The gateway is the subnet's first address, or the API server refuses it (CEL).
    assertThatThrownBy(() -> editSpec("node01", "{\"spec\":{\"gateway\":\"" + before.getSpec().getPodCIDR().replaceFirst("\\.0/24$", ".77") + "\"}}"))
        .hasMessageContaining("spec.gateway must be the first address of spec.podCIDR");
    editSpec("node01", "{\"spec\":{\"nodeName\":\"node99\"}}");
    await().atMost(SOON).until(() -> "node01".equals(cluster.nodeNetwork("node01").orElseThrow().getSpec().getNodeName()));

    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetworkEvents("node01")).anySatisfy(e -> assertThat(e)
        .startsWith("Warning SpecReverted: spec of NodeNetwork node01 was changed by someone else (nodeName=node99)")
        .contains("drain and delete the Node")));
    assertThat(cluster.nodeNetwork("node01").orElseThrow().getSpec()).isEqualTo(before.getSpec());
  }

  @Test
  void nodesInConflictAreNotReadyAndEachStartAndEndIsAnEvent() {
    startController();
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.11");
    await().atMost(SOON).until(() -> readyReason("node01").equals("DuplicateNodeIP") && readyReason("node02").equals("DuplicateNodeIP"));
    assertThat(ready("node02").orElseThrow()).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).contains("Nodes node01, node02 all report node IP 192.168.1.11").contains("See the Conflict condition.");
    });
    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetworkEvents("node01"))
        .containsExactly("Warning DuplicateNodeIP: Nodes node01, node02 all report node IP 192.168.1.11: peers cannot tell them apart. "
            + "Give each node its own address."));

    cluster.setInternalIP("node02", "192.168.1.12");
    await().atMost(SOON).until(() -> readyReason("node01").equals(ConflictConditions.RESOLVED));
    // No agent runs here: Ready waits for one, it does not claim the dataplane works.
    assertThat(ready("node01").orElseThrow().getStatus()).isEqualTo("Unknown");
    // In any order: Events are listed by creation time, in whole seconds, and both may fall in one.
    await().atMost(SOON).untilAsserted(() -> assertThat(nodeNetworkEvents("node02")).containsExactlyInAnyOrder(
        "Warning DuplicateNodeIP: Nodes node01, node02 all report node IP 192.168.1.11: peers cannot tell them apart. "
            + "Give each node its own address.",
        "Normal ConflictResolved: No other node shares the IP or uplink MAC of node node02 any more."));
  }

  @Test
  void aClusterNetworkDeclaredAnewOverOtherRangesIsNotReadyWhileNodesHoldTheOldOnes() {
    startController();
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.12");
    await().atMost(SOON).until(() -> cluster.conditionIs("default", Conditions.READY, Conditions.TRUE) && cluster.nodeNetworks().size() == 2);
    Map<String, String> subnets = cluster.podCIDRs();

    plane.client().resources(ClusterNetwork.class).withName("default").delete();
    await().atMost(SOON).until(() -> cluster.clusterNetwork("default") == null);
    cluster.declare("default", List.of("10.250.0.0/16"), 24);
    await().atMost(SOON).until(() -> cluster.conditionIs("default", Conditions.READY, Conditions.FALSE));
    assertThat(cluster.condition("default", Conditions.READY).orElseThrow().getReason()).isEqualTo("NodeSubnetsOutsideClusterCIDRs");
    assertThat(cluster.condition("default", Conditions.SUBNETS_OUTSIDE_RANGES).orElseThrow()).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("True");
      assertThat(c.getMessage()).startsWith("2 of 2 node subnets lie outside spec.clusterCIDRs (node01 " + subnets.get("node01")
          + ", node02 " + subnets.get("node02") + ")").contains("Append ranges that hold them to spec.clusterCIDRs");
    });
    assertThat(cluster.podCIDRs()).as("working subnets are never taken away").isEqualTo(subnets);

    cluster.addNode("node03", "192.168.1.13");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node03").isPresent());
    assertThat(cluster.podCIDRs().get("node03")).startsWith("10.250.");
    cluster.appendRange("default", "10.244.0.0/16");
    await().atMost(SOON).until(() -> cluster.conditionIs("default", Conditions.READY, Conditions.TRUE));
    assertThat(cluster.condition("default", Conditions.SUBNETS_OUTSIDE_RANGES).orElseThrow().getStatus()).isEqualTo("False");
  }

  @Test
  void aPassThatFailsSaysWhyInReadyAndRecovers() throws Exception {
    // The controller's own identity, as deployed; then its ClusterRole loses one permission, as
    // after applying an older config/rbac.
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
    String token = plane.kubectl("create", "token", "plainroute-controller", "-n", "plainroute-system", "--duration=1h").orThrow().strip();
    Path kubeconfig = plane.directory().resolve("controller.kubeconfig");
    Files.writeString(kubeconfig, Files.readString(plane.kubeconfig()).replaceAll("(?m)^(\\s*token:).*$", "$1 " + token));
    assertThat(plane.kubectl("get", "clusterrole", "plainroute-controller", "-o", "jsonpath={.rules[0].resources[0]}").orThrow())
        .isEqualTo("nodes");
    plane.kubectl("patch", "clusterrole", "plainroute-controller", "--type=json",
        "-p=[{\"op\":\"replace\",\"path\":\"/rules/0/verbs\",\"value\":[\"list\",\"watch\",\"patch\"]}]").orThrow();
    controller = ControllerHarness.start(plane, "controller-sa", "plainroute-controller",
        Map.of("plainroute.leader-election.namespace", "plainroute-system"), Map.of("KUBECONFIG", kubeconfig.toString()));
    cluster.declare("default", LECTURES, 24);
    cluster.addNode("node01", "192.168.1.11");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("node01").isPresent());
    // A NodeNetwork whose Node is gone: before releasing its subnet the controller asks the API
    // server whether the Node exists, which its identity may no longer do.
    NodeNetwork ghost = new NodeNetwork();
    ghost.getMetadata().setName("ghost");
    ghost.setSpec(new io.plainroute.api.v1alpha1.NodeNetworkSpec("ghost", "10.244.200.0/24", "10.244.200.1", "192.168.1.99"));
    plane.client().resource(ghost).create();

    await().atMost(SOON).until(() -> "Forbidden".equals(cluster.condition("default", Conditions.READY).map(Condition::getReason).orElse("")));
    assertThat(cluster.condition("default", Conditions.READY).orElseThrow()).satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getMessage()).contains("cannot get resource \"nodes\"").contains("kubectl apply -k config/rbac");
    });

    plane.kubectl("patch", "clusterrole", "plainroute-controller", "--type=json",
        "-p=[{\"op\":\"replace\",\"path\":\"/rules/0/verbs\",\"value\":[\"get\",\"list\",\"watch\",\"patch\"]}]").orThrow();
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.conditionIs("default", Conditions.READY, Conditions.TRUE));
    assertThat(cluster.nodeNetwork("ghost")).as("the ghost's subnet released once the pass gets through").isEmpty();
  }

  private void editSpec(String node, String patch) {
    plane.client().resources(NodeNetwork.class).withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private Optional<Condition> ready(String node) {
    return cluster.nodeNetwork(node).map(NodeNetwork::getStatus).flatMap(s -> s.getConditions().stream()
        .filter(c -> Conditions.READY.equals(c.getType())).findFirst());
  }

  private String readyReason(String node) {
    return ready(node).map(Condition::getReason).orElse("");
  }

  /** "Type Reason: message" of the Events about a NodeNetwork, oldest first. */
  private List<String> nodeNetworkEvents(String node) {
    return plane.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> "NodeNetwork".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName()))
        .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }
}
