package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * config/admission on a real kube-apiserver (v1.34) with real service-account tokens: an agent's
 * token, bound to its Pod on node-a as the kubelet requests it, lets it write node-a's
 * NodeNetwork status and no other; a token that names no node writes nothing; the controller
 * keeps writing NodeNetwork status and Node podCIDRs, and nothing else of a Node.
 */
// kube-controller-manager only for the controller that type-checks policies into their status.
@WithControlPlane(controllers = {"validatingadmissionpolicy-status-controller"})
class AdmissionPolicyIT {
  private static final List<KubernetesClient> CLIENTS = new ArrayList<>();
  private static KubernetesClient agentOfNodeA;
  private static KubernetesClient agentWithoutNode;
  private static KubernetesClient controller;

  @BeforeAll
  static void deploy(ControlPlane plane) {
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
    plane.kubectl("apply", "-k", "config/admission").orThrow();
    KubernetesClient admin = plane.client();
    for (String node : List.of("node-a", "node-b")) {
      admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).addToLabels("zone", "lab").endMetadata().build()).create();
      NodeNetwork nn = new NodeNetwork();
      nn.getMetadata().setName(node);
      NodeNetworkSpec spec = new NodeNetworkSpec();
      spec.setNodeName(node);
      spec.setPodCIDR(node.equals("node-a") ? "10.244.0.0/24" : "10.244.1.0/24");
      spec.setGateway(node.equals("node-a") ? "10.244.0.1" : "10.244.1.1");
      nn.setSpec(spec);
      admin.resource(nn).create();
    }
    agentOfNodeA = clientWithToken(plane, "agent-a", Identities.agentTokenOn(plane, "node-a"));
    agentWithoutNode = clientWithToken(plane, "agent-unbound", Identities.token(plane, "plainroute-agent"));
    controller = clientWithToken(plane, "controller", Identities.token(plane, "plainroute-controller"));
    // Policies take effect a moment after they are created.
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> forbidden(() -> writeStatus(agentWithoutNode, "node-a", 1)));
  }

  @AfterAll
  static void closeClients() {
    CLIENTS.forEach(KubernetesClient::close);
  }

  @Test
  void aTokenOfAPodOnANodeCarriesTheNodesName(ControlPlane plane) {
    String token = plane.kubectl("create", "token", "plainroute-agent", "-n", Manifests.NAMESPACE,
        "--bound-object-kind=Pod", "--bound-object-name=plainroute-agent-node-a").orThrow().strip();
    assertThat(plane.kubectl("auth", "whoami", "--token=" + token, "-o",
        "jsonpath={.status.userInfo.extra.authentication\\.kubernetes\\.io/node-name[0]}").orThrow()).isEqualTo("node-a");
  }

  @Test
  void agentWritesItsOwnNodesStatus(ControlPlane plane) {
    writeStatus(agentOfNodeA, "node-a", 3);
    assertThat(plane.client().resources(NodeNetwork.class).withName("node-a").get().getStatus().getRoutes()).isEqualTo(3);
    agentOfNodeA.resources(NodeNetwork.class).withName("node-a").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"routes\":4}}");
    assertThat(plane.client().resources(NodeNetwork.class).withName("node-a").get().getStatus().getRoutes()).isEqualTo(4);
  }

  @Test
  void agentCannotWriteAnotherNodesStatus(ControlPlane plane) {
    assertThatThrownBy(() -> writeStatus(agentOfNodeA, "node-b", 7))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
        .hasMessageContaining("the plainroute agent on node node-a may write only NodeNetwork node-a, not node-b");
    assertThatThrownBy(() -> agentOfNodeA.resources(NodeNetwork.class).withName("node-b").subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"routes\":7}}"))
        .hasMessageContaining("may write only NodeNetwork node-a, not node-b");
    NodeNetworkStatus status = plane.client().resources(NodeNetwork.class).withName("node-b").get().getStatus();
    assertThat(status == null ? null : status.getRoutes()).isNotEqualTo(7);
  }

  @Test
  void aTokenThatNamesNoNodeWritesNothing() {
    assertThatThrownBy(() -> writeStatus(agentWithoutNode, "node-a", 9))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
        .hasMessageContaining("must use a node-bound service account token");
  }

  @Test
  void agentCannotChangeItsOwnAllocation() {
    assertThatThrownBy(() -> agentOfNodeA.resources(NodeNetwork.class).withName("node-a")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"podCIDR\":\"10.244.9.0/24\"}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
  }

  @Test
  void controllerWritesNodeNetworkStatusAndPodCIDRs(ControlPlane plane) {
    // The Conflict condition is the controller's, on any node: the agent policy leaves it alone.
    writeStatus(controller, "node-b", 2);
    controller.nodes().withName("node-b").patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"podCIDR\":\"10.244.1.0/24\",\"podCIDRs\":[\"10.244.1.0/24\"]}}");
    assertThat(plane.client().nodes().withName("node-b").get().getSpec().getPodCIDR()).isEqualTo("10.244.1.0/24");
  }

  @Test
  void controllerCannotChangeAnythingElseOfANode(ControlPlane plane) {
    for (String patch : List.of(
        "{\"metadata\":{\"labels\":{\"zone\":\"elsewhere\"}}}",
        "{\"metadata\":{\"annotations\":{\"plainroute.io/x\":\"y\"}}}",
        "{\"spec\":{\"unschedulable\":true}}",
        "{\"spec\":{\"taints\":[{\"key\":\"k\",\"effect\":\"NoSchedule\"}]}}",
        "{\"spec\":{\"providerID\":\"aws://i-1\"}}")) {
      assertThatThrownBy(() -> controller.nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE), patch))
          .as(patch)
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
          .hasMessageContaining("may change only spec.podCIDR and spec.podCIDRs");
    }
    assertThat(plane.client().nodes().withName("node-a").get().getMetadata().getLabels()).containsEntry("zone", "lab");
    // The policy is about plainroute's identities; an administrator is not affected.
    plane.client().nodes().withName("node-a").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"zone\":\"elsewhere\"}}}");
  }

  @Test
  void policiesTypeCheckWithoutWarnings(ControlPlane plane) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !plane.kubectl("get", "validatingadmissionpolicy",
        "plainroute-controller-node-podcidr-only", "-o", "jsonpath={.status.typeChecking}").orThrow().isBlank());
    assertThat(plane.kubectl("get", "validatingadmissionpolicies", "-o",
        "jsonpath={range .items[*]}{.metadata.name}: {.status.typeChecking.expressionWarnings}{\"\\n\"}{end}").orThrow().lines())
        .containsExactlyInAnyOrder("plainroute-agent-own-node: ", "plainroute-controller-node-podcidr-only: ");
  }

  /** Status written the way the agent writes it: a PUT of the whole status subresource. */
  private static void writeStatus(KubernetesClient client, String node, int routes) {
    NodeNetwork nn = client.resources(NodeNetwork.class).withName(node).get();
    NodeNetworkStatus status = nn.getStatus() == null ? new NodeNetworkStatus() : nn.getStatus();
    status.setRoutes(routes);
    nn.setStatus(status);
    client.resource(nn).updateStatus();
  }

  private static boolean forbidden(Runnable write) {
    try {
      write.run();
      return false;
    } catch (KubernetesClientException e) {
      return e.getCode() == 403 && e.getMessage().contains("plainroute");
    }
  }

  private static KubernetesClient clientWithToken(ControlPlane plane, String name, String token) {
    Path kubeconfig = Identities.kubeconfig(plane, name, token);
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
    CLIENTS.add(client);
    return client;
  }
}
