package io.plainroute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the harness: a real, version-stamped control plane with a working garbage collector. */
@WithControlPlane(controllers = {"garbagecollector"})
class ControlPlaneIT {

  static ControlPlane sharedPlane;

  @Test
  void serverReportsTheStampedVersion(ControlPlane plane) {
    String pinned = KubeBinaries.pinnedVersion().orElseThrow();

    assertThat(plane.client().getKubernetesVersion().getGitVersion()).isEqualTo(pinned);
    assertThat(plane.kubectl("version", "--client", "-o", "json").orThrow()).contains("\"gitVersion\": \"" + pinned + "\"");
  }

  @Test
  void kubectlReachesReadyzThroughTheKubeconfig(ControlPlane plane) {
    KubectlResult readyz = plane.kubectl("get", "--raw", "/readyz");

    assertThat(readyz.exitCode()).as(readyz.stderr()).isZero();
    assertThat(readyz.stdout()).isEqualTo("ok");
  }

  @Test
  void staticFieldGetsTheSamePlane(ControlPlane plane) {
    assertThat(sharedPlane).isSameAs(plane);
  }

  @Test
  void storesNamespacesAndConfigMaps(ControlPlane plane) {
    KubernetesClient client = plane.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("store").endMetadata().build()).create();
    client.configMaps().inNamespace("store").resource(configMap("settings", Map.of("mode", "plain"))).create();

    assertThat(plane.kubectl("get", "configmap", "settings", "-n", "store", "-o", "jsonpath={.data.mode}").orThrow())
        .isEqualTo("plain");
  }

  @Test
  void garbageCollectorDeletesAnOwnedObjectAfterItsOwner(ControlPlane plane) {
    KubernetesClient client = plane.client();
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("gc").endMetadata().build()).create();
    ConfigMap owner = client.configMaps().inNamespace("gc").resource(configMap("owner", Map.of())).create();
    ConfigMap child = configMap("child", Map.of());
    child.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("ConfigMap")
        .withName(owner.getMetadata().getName()).withUid(owner.getMetadata().getUid())
        .build()));
    client.configMaps().inNamespace("gc").resource(child).create();
    assertThat(client.configMaps().inNamespace("gc").withName("child").get()).isNotNull();

    client.configMaps().inNamespace("gc").withName("owner").delete();

    // Nothing but kube-controller-manager's garbage collector deletes the child.
    assertThat(client.configMaps().inNamespace("gc").withName("child")
        .waitUntilCondition(Objects::isNull, 60, TimeUnit.SECONDS)).isNull();
  }

  @Test
  void installsCrdsAndWaitsUntilTheyAreEstablished(ControlPlane plane, @TempDir Path crdDir) throws IOException {
    Files.writeString(crdDir.resolve("widgets.yaml"), """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.test.plainroute.io
        spec:
          group: test.plainroute.io
          scope: Cluster
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """);
    Files.writeString(crdDir.resolve("README.md"), "not a manifest");

    assertThat(plane.installCrds(crdDir)).containsExactly("widgets.test.plainroute.io");
    plane.kubectlWithInput("""
        apiVersion: test.plainroute.io/v1
        kind: Widget
        metadata: {name: first}
        """, "create", "-f", "-").orThrow();
    assertThat(plane.kubectl("get", "widgets", "-o", "name").orThrow().strip()).isEqualTo("widget.test.plainroute.io/first");
  }

  @Test
  void closeLeavesNoProcessAndNoDirectoryBehind() {
    ControlPlane plane = ControlPlane.builder().name("close-check").controllers("garbagecollector").start();
    List<ProcessHandle> processes = plane.startedProcesses();
    assertThat(processes).hasSize(3).allMatch(ProcessHandle::isAlive);

    plane.close();

    assertThat(processes).noneMatch(ProcessHandle::isAlive);
    assertThat(plane.directory()).doesNotExist();
  }

  @Test
  void objectsAndKubeconfigSurviveAnApiServerRestart() {
    try (ControlPlane plane = ControlPlane.builder().name("restart").controllers().start()) {
      plane.client().configMaps().inNamespace("default").resource(configMap("kept", Map.of("k", "v"))).create();

      plane.restartApiServer();

      assertThat(plane.kubectl("get", "configmap", "kept", "-o", "jsonpath={.data.k}").orThrow()).isEqualTo("v");
      assertThat(plane.client().configMaps().inNamespace("default").withName("kept").get()).isNotNull();
      assertThat(Files.exists(plane.kubeconfig())).isTrue();
    }
  }

  @Test
  void operatorJarsRunSideBySideAndDieOnKill9(ControlPlane plane) {
    Pattern started = Pattern.compile("started in [0-9.]+s\\. Listening on: http://127\\.0\\.0\\.1:(\\d+)");
    try (OperatorProcess first = OperatorProcess.builder(plane).name("first").role("controller")
            .systemProperty("plainroute.leader-election.namespace", "default").start();
        OperatorProcess second = OperatorProcess.builder(plane).name("second").role("agent")
            .env("NODE_NAME", "node01").start()) {
      String firstPort = first.awaitLogLine(started, Duration.ofSeconds(60)).group(1);
      String secondPort = second.awaitLogLine(started, Duration.ofSeconds(60)).group(1);
      assertThat(firstPort).isNotEqualTo(secondPort);

      first.kill9();

      assertThat(first.isAlive()).isFalse();
      assertThat(second.isAlive()).isTrue();
      second.stop();
      assertThat(second.logTail(5)).anyMatch(line -> line.contains("stopped in"));
    }
  }

  private static ConfigMap configMap(String name, Map<String, String> data) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).endMetadata().withData(data).build();
  }
}
