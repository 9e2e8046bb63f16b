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
    agentOfNodeA = clientWithToken(plane, "agent-a", Identities.agentTokenOn(plane, "node-a"));
    agentWithoutNode = clientWithToken(plane, "agent-unbound", Identities.token(plane, "plainroute-agent"));
    controller = clientWithToken(plane, "controller", Identities.token(plane, "plainroute-controller"));
    // Only the controller creates NodeNetworks (the spec policy); policies take a moment to apply.
    java.util.concurrent.atomic.AtomicInteger tries = new java.util.concurrent.atomic.AtomicInteger(10);
    await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> forbidden(() -> admin.resource(nodeNetwork("node-z" + tries.get(), tries.getAndIncrement())).create()));
    for (String node : List.of("node-a", "node-b")) {
      admin.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).addToLabels("zone", "lab").endMetadata()
          .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady").endCondition().endStatus()
          .build()).create();
      controller.resource(nodeNetwork(node, node.equals("node-a") ? 0 : 1)).create();
    }
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
  void nobodyButTheControllerWritesANodeNetworksSpec(ControlPlane plane) {
    KubernetesClient admin = plane.client();
    assertThatThrownBy(() -> admin.resources(NodeNetwork.class).withName("node-b")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeIP\":\"192.168.1.99\"}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
        .hasMessageContaining("spec of NodeNetwork node-b is written only by the plainroute controller")
        .hasMessageContaining("drain and delete the Node");
    assertThatThrownBy(() -> admin.resources(NodeNetwork.class).withName("node-b")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"node-c\"}}"))
        .hasMessageContaining("written only by the plainroute controller");
    assertThat(admin.resources(NodeNetwork.class).withName("node-b").get().getSpec().getNodeIP()).isEqualTo("192.168.1.12");
    // Metadata stays open (labels, the garbage collector's owner references), and the controller writes the spec.
    admin.resources(NodeNetwork.class).withName("node-b").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"metadata\":{\"labels\":{\"team\":\"net\"}}}");
    controller.resources(NodeNetwork.class).withName("node-b").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeIP\":\"192.168.1.42\"}}");
    assertThat(admin.resources(NodeNetwork.class).withName("node-b").get().getSpec().getNodeIP()).isEqualTo("192.168.1.42");
  }

  @Test
  void agentReportsNetworkUnavailableOnItsOwnNodeOnly(ControlPlane plane) {
    agentOfNodeA.nodes().resource(node("node-a")).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE), networkUnavailable("True"));
    assertThat(plane.client().nodes().withName("node-a").get().getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus()).contains("NetworkUnavailable=True", "Ready=True");
    assertThatThrownBy(() -> agentOfNodeA.nodes().resource(node("node-b")).subresource("status")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), networkUnavailable("True")))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
        .hasMessageContaining("the plainroute agent on node node-a may write only Node node-a, not node-b");
    assertThatThrownBy(() -> agentOfNodeA.nodes().resource(node("node-a")).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"status\":{\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"Plainroute\"}]}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403))
        .hasMessageContaining("may change only the NetworkUnavailable condition");
    assertThatThrownBy(() -> agentOfNodeA.nodes().resource(node("node-a")).subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"10.0.0.1\"}]}}"))
        .hasMessageContaining("may change only the NetworkUnavailable condition");
    assertThatThrownBy(() -> agentWithoutNode.nodes().resource(node("node-a")).subresource("status")
        .patch(PatchContext.of(PatchType.STRATEGIC_MERGE), networkUnavailable("False")))
        .hasMessageContaining("must use a node-bound service account token");
    assertThat(plane.client().nodes().withName("node-a").get().getStatus().getConditions())
        .extracting(c -> c.getType() + "=" + c.getStatus()).contains("NetworkUnavailable=True", "Ready=True");
  }

  /** A Node by name only: the agent patches its status without reading it (it may not). */
  private static io.fabric8.kubernetes.api.model.Node node(String name) {
    return new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
  }

  private static String networkUnavailable(String status) {
    return "{\"status\":{\"conditions\":[{\"type\":\"NetworkUnavailable\",\"status\":\"" + status
        + "\",\"reason\":\"NodeIPNotFound\",\"message\":\"test\"}]}}";
  }

  private static NodeNetwork nodeNetwork(String node, int index) {
    NodeNetwork nn = new NodeNetwork();
    nn.getMetadata().setName(node);
    nn.setSpec(new NodeNetworkSpec(node, "10.244." + index + ".0/24", "10.244." + index + ".1", "192.168.1." + (11 + index)));
    return nn;
  }

  @Test
  void policiesTypeCheckWithoutWarnings(ControlPlane plane) {
    await().atMost(Duration.ofSeconds(30)).until(() -> !plane.kubectl("get", "validatingadmissionpolicy",
        "plainroute-controller-node-podcidr-only", "-o", "jsonpath={.status.typeChecking}").orThrow().isBlank());
    assertThat(plane.kubectl("get", "validatingadmissionpolicies", "-o",
        "jsonpath={range .items[*]}{.metadata.name}: {.status.typeChecking.expressionWarnings}{\"\\n\"}{end}").orThrow().lines())
        .containsExactlyInAnyOrder("plainroute-agent-own-node: ", "plainroute-controller-node-podcidr-only: ",
            "plainroute-nodenetwork-spec-controller-only: ");
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
