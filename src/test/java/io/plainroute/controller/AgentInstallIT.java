package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The OLM install path: the controller, with plainroute.agent-install.enabled and exactly the
 * permissions of config/rbac plus config/olm (a ServiceAccount token), installs the agent DaemonSet
 * of config/agent/daemonset.yaml in its own namespace on the image OLM hands it, keeps it there,
 * and leaves alone what it does not own.
 */
@WithControlPlane
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentInstallIT {
  private static final String NAMESPACE = "plainroute-system";
  /** What OLM sets from the CSV's relatedImages, e.g. a mirrored image pinned by digest. */
  private static final String IMAGE = "mirror.example/plainroute/plainroute@sha256:" + "ab".repeat(32);
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static Path kubeconfig;
  private ControllerHarness.Controller controller;

  @BeforeAll
  static void grantConfigRbacAndOlmExtras(ControlPlane plane) throws Exception {
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
    plane.kubectl("apply", "-k", "config/olm").orThrow();
    String token = plane.kubectl("create", "token", "plainroute-controller", "-n", NAMESPACE, "--duration=1h").orThrow().strip();
    kubeconfig = plane.directory().resolve("agent-install.kubeconfig");
    Files.writeString(kubeconfig, Files.readString(plane.kubeconfig()).replaceAll("(?m)^(\\s*token:).*$", "$1 " + token));
  }

  @BeforeEach
  void startController(ControlPlane plane, TestInfo test) {
    startController(plane, test.getTestMethod().orElseThrow().getName());
  }

  private void startController(ControlPlane plane, String method) {
    boolean install = !method.equals("offByDefaultAsInThePlainManifests");
    Map<String, String> env = new HashMap<>(Map.of("KUBECONFIG", kubeconfig.toString(), "POD_NAMESPACE", NAMESPACE,
        "RELATED_IMAGE_PLAINROUTE", IMAGE));
    if (install) {
      env.put("PLAINROUTE_AGENT_INSTALL_ENABLED", "true");
    }
    controller = ControllerHarness.start(plane, "agent-install", "plainroute-controller",
        withQuickLease(Map.of("plainroute.leader-election.namespace", NAMESPACE, "plainroute.leader-election.identity", method)), env);
  }

  @AfterEach
  void stopController() {
    controller.close();
  }

  @Test
  @Order(0)
  void offByDefaultAsInThePlainManifests(ControlPlane plane) throws Exception {
    await().atMost(WAIT).failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> {
          Lease lease = plane.client().leases().inNamespace(NAMESPACE).withName("plainroute-controller").get();
          return lease != null && lease.getSpec().getHolderIdentity() != null && lease.getSpec().getHolderIdentity().equals("offByDefaultAsInThePlainManifests");
        });
    // The leader says it decided against installing: only then is "no DaemonSet" a result.
    await().atMost(WAIT).until(() -> controller.logTail().contains("not installing the agent DaemonSet"));
    assertThat(agent(plane.client()).get()).as("no DaemonSet without plainroute.agent-install.enabled").isNull();
    assertThat(controller.logTail()).doesNotContain("installing the agent DaemonSet plainroute")
        .doesNotContain("created the agent DaemonSet");
  }

  @Test
  @Order(1)
  void installsTheAgentDaemonSetOfConfigAgentOnTheOperatorsImage(ControlPlane plane) throws Exception {
    DaemonSet ds = await().atMost(WAIT).failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> agent(plane.client()).get(), d -> d != null);

    DaemonSet template = new KubernetesSerialization().unmarshal(Files.readString(Path.of("config/agent/daemonset.yaml")), DaemonSet.class);
    var pod = ds.getSpec().getTemplate().getSpec();
    var expected = template.getSpec().getTemplate().getSpec();
    assertThat(pod.getContainers()).allSatisfy(c -> assertThat(c.getImage()).isEqualTo(IMAGE));
    assertThat(pod.getServiceAccountName()).isEqualTo(expected.getServiceAccountName());
    assertThat(pod.getHostNetwork()).isEqualTo(expected.getHostNetwork());
    assertThat(pod.getTolerations()).isEqualTo(expected.getTolerations());
    assertThat(pod.getVolumes()).isEqualTo(expected.getVolumes());
    assertThat(pod.getContainers().get(0).getSecurityContext()).isEqualTo(expected.getContainers().get(0).getSecurityContext());
    // (the API server defaults fieldRef.apiVersion, so env is compared by name and value)
    assertThat(pod.getContainers().get(0).getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .isEqualTo(expected.getContainers().get(0).getEnv().stream().map(e -> tuple(e.getName(), e.getValue())).toList());
    assertThat(ds.getMetadata().getLabels()).isEqualTo(template.getMetadata().getLabels());
    assertThat(ds.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager, ManagedFieldsEntry::getOperation)
        .contains(tuple("plainroute-controller", "Apply"));
    assertThat(controller.logTail()).contains("created the agent DaemonSet").doesNotContainIgnoringCase("forbidden");
  }

  @Test
  @Order(2)
  void restartingTheControllerChangesNothing(ControlPlane plane) throws Exception {
    // The controller of this test has applied the same template again on taking the lease.
    DaemonSet before = agent(plane.client()).get();
    // Its apply has been answered (a no-op): only then does an unchanged DaemonSet mean something.
    await().atMost(WAIT).failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> controller.logTail().contains("already matches its template"));
    DaemonSet after = agent(plane.client()).get();
    assertThat(after.getMetadata().getGeneration()).isEqualTo(1L);
    assertThat(after.getMetadata().getResourceVersion()).isEqualTo(before.getMetadata().getResourceVersion());
    assertThat(controller.logTail()).doesNotContain("created the agent DaemonSet").doesNotContain("restored the agent DaemonSet");
  }

  @Test
  @Order(3)
  void putsBackWhatItOwnsAndKeepsWhatOthersAdded(ControlPlane plane) throws Exception {
    await().atMost(WAIT).until(() -> controller.logTail().contains("installing the agent DaemonSet"));
    // Someone edits the DaemonSet: a field of the template (the image) and fields it does not set.
    plane.kubectl("-n", NAMESPACE, "set", "image", "daemonset/plainroute-agent", "agent=someone/else:latest").orThrow();
    plane.kubectl("-n", NAMESPACE, "annotate", "daemonset/plainroute-agent", "team.example/owner=netops").orThrow();
    plane.kubectl("-n", NAMESPACE, "label", "daemonset/plainroute-agent", "team.example/tier=infra").orThrow();
    plane.kubectl("-n", NAMESPACE, "patch", "daemonset/plainroute-agent", "--type=merge",
        "-p", "{\"spec\":{\"revisionHistoryLimit\":3,\"minReadySeconds\":7}}").orThrow();

    await().atMost(WAIT).untilAsserted(() -> {
      DaemonSet ds = agent(plane.client()).get();
      assertThat(ds.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
      assertThat(ds.getMetadata().getAnnotations()).containsEntry("team.example/owner", "netops");
      assertThat(ds.getMetadata().getLabels()).containsEntry("team.example/tier", "infra");
      assertThat(ds.getSpec().getRevisionHistoryLimit()).isEqualTo(3);
      assertThat(ds.getSpec().getMinReadySeconds()).isEqualTo(7);
    });
    assertThat(controller.logTail()).contains("restored the agent DaemonSet");
  }

  @Test
  @Order(4)
  void recreatesADeletedDaemonSet(ControlPlane plane) throws Exception {
    await().atMost(WAIT).until(() -> controller.logTail().contains("installing the agent DaemonSet"));
    String uid = agent(plane.client()).get().getMetadata().getUid();
    plane.kubectl("-n", NAMESPACE, "delete", "daemonset/plainroute-agent", "--wait=true").orThrow();
    DaemonSet back = await().atMost(WAIT).until(() -> agent(plane.client()).get(), d -> d != null && !d.getMetadata().getUid().equals(uid));
    assertThat(back.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo(IMAGE);
  }

  @Test
  @Order(5)
  void withoutItsPermissionItStillAllocates(ControlPlane plane) throws Exception {
    // The replica of this test started before the permission went: its informer is refused on the next relist.
    controller.close();
    plane.kubectl("-n", NAMESPACE, "delete", "rolebinding", "plainroute-controller-agent-install").orThrow();
    startController(plane, "withoutItsPermissionItStillAllocates");
    Cluster cluster = new Cluster(plane.client());
    cluster.declare("default", List.of("10.244.0.0/16"), 24);
    cluster.addNode("node01", "192.168.1.11");
    await().atMost(WAIT).failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> cluster.nodeNetworks().size() == 1);
    await().atMost(WAIT).until(() -> controller.logTail().contains("cannot watch the agent DaemonSet"));
  }

  /** Each test starts a new replica, which must not wait out the stopped one's lease. */
  private static Map<String, String> withQuickLease(Map<String, String> properties) {
    Map<String, String> all = new HashMap<>(ControllerHarness.QUICK_LEASE);
    all.putAll(properties);
    return all;
  }

  private static Resource<DaemonSet> agent(KubernetesClient client) {
    return client.apps().daemonSets().inNamespace(NAMESPACE).withName("plainroute-agent");
  }
}
