package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.util.List;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * What a user runs — {@code kubectl apply -k config/default}, then the sample ClusterNetwork —
 * against a real, empty API server: every manifest passes the server's validation and admission
 * (server-side dry-run, strict field validation), and a real apply succeeds in one pass.
 */
@WithControlPlane(crds = false, controllers = {})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeployManifestsIT {

  @Test
  @Order(1)
  void everyManifestOfConfigDefaultPassesServerSideDryRun(ControlPlane plane) {
    // A dry run creates nothing, so objects that others need must exist first: the namespace
    // (for every namespaced object) and the CRDs (for the sample). Those two are dry-run too.
    plane.kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "config/rbac/namespace.yaml").orThrow();
    plane.kubectl("apply", "--dry-run=server", "--validate=strict", "-k", "config/crd").orThrow();
    plane.kubectl("apply", "-f", "config/rbac/namespace.yaml").orThrow();
    plane.kubectl("apply", "-k", "config/crd").orThrow();
    awaitCrdsEstablished(plane);

    String out = plane.kubectl("apply", "--dry-run=server", "--validate=strict", "-k", "config/default").orThrow();

    List<HasMetadata> objects = Manifests.objects(plane, "config/default");
    assertThat(out.lines()).allMatch(line -> line.endsWith("(server dry run)")).hasSize(objects.size());
    assertThat(plane.kubectl("get", "daemonsets,deployments", "-n", Manifests.NAMESPACE, "-o", "name").orThrow())
        .as("a dry run creates nothing").isBlank();
    plane.kubectl("apply", "--dry-run=server", "--validate=strict", "-f", "config/samples/").orThrow();
  }

  @Test
  @Order(2)
  void appliesInOnePassThenTheSampleNetworkIsAccepted(ControlPlane plane) {
    plane.kubectl("apply", "-k", "config/default").orThrow();
    awaitCrdsEstablished(plane);
    plane.kubectl("apply", "-f", "config/samples/").orThrow();

    assertThat(plane.kubectl("get", "clusternetwork", "default", "-o", "jsonpath={.spec.clusterCIDRs[0]}/{.spec.nodeSubnetPrefixLength}").orThrow())
        .isEqualTo("10.244.0.0/16/24");
    assertThat(plane.kubectl("get", "-k", "config/default", "-o", "name").orThrow().lines())
        .hasSize(Manifests.objects(plane, "config/default").size());
    assertThat(plane.kubectl("apply", "-k", "config/default").orThrow().lines())
        .as("a second apply changes nothing; kubectl diff says:%n%s", plane.kubectl("diff", "-k", "config/default").stdout())
        .allMatch(line -> line.endsWith(" unchanged"));
  }

  @Test
  void oneImageForBothRolesSetInOnePlace(ControlPlane plane) {
    List<HasMetadata> objects = Manifests.objects(plane, "config/default");
    assertThat(container(controllerPod(objects)).getImage()).isEqualTo("ghcr.io/plainroute/plainroute:0.1.0")
        .isEqualTo(container(agentPod(objects)).getImage());
  }

  @Test
  void controllerIsLeaderElectedNonRootAndReadOnly(ControlPlane plane) {
    Deployment deployment = Manifests.one(Manifests.objects(plane, "config/default"), Deployment.class, "plainroute-controller");
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container c = container(pod);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(pod.getServiceAccountName()).isEqualTo("plainroute-controller");
    assertThat(env(c, "PLAINROUTE_ROLE").getValue()).isEqualTo("controller");
    assertThat(env(c, "POD_NAMESPACE").getValueFrom().getFieldRef().getFieldPath())
        .as("the Lease namespace, which config/rbac grants").isEqualTo("metadata.namespace");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(pod.getVolumes()).allMatch(v -> v.getHostPath() == null);
  }

  @Test
  void agentRunsOnEveryNodeWithNetAdminOnly(ControlPlane plane) {
    List<HasMetadata> objects = Manifests.objects(plane, "config/default");
    DaemonSet daemonSet = Manifests.one(objects, DaemonSet.class, "plainroute-agent");
    PodSpec pod = daemonSet.getSpec().getTemplate().getSpec();
    Container c = container(pod);
    assertThat(pod.getServiceAccountName()).isEqualTo("plainroute-agent");
    assertThat(env(c, "PLAINROUTE_ROLE").getValue()).isEqualTo("agent");
    assertThat(env(c, "NODE_NAME").getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
    assertThat(pod.getHostNetwork()).isTrue();
    assertThat(c.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(c.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
    assertThat(pod.getHostPID()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getHostIPC()).isNotEqualTo(Boolean.TRUE);
    assertThat(pod.getVolumes().stream().filter(v -> v.getHostPath() != null).map(v -> v.getHostPath().getPath()))
        .containsExactly("/etc/cni/net.d");
    Volume cni = pod.getVolumes().stream().filter(v -> v.getHostPath() != null).findFirst().orElseThrow();
    assertThat(c.getVolumeMounts()).anyMatch(m -> m.getName().equals(cni.getName()) && m.getMountPath().equals("/etc/cni/net.d"));
    assertThat(pod.getTolerations()).singleElement()
        .satisfies(t -> assertThat(t.getOperator()).isEqualTo("Exists"))
        .satisfies(t -> assertThat(t.getKey()).isNull())
        .satisfies(t -> assertThat(t.getEffect()).isNull());
    assertThat(pod.getPriorityClassName()).isEqualTo("system-node-critical");
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/q/health/live");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/q/health/ready");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
  }

  /** What a user types between config/default and the sample (kubectl wait takes no -k). */
  private static void awaitCrdsEstablished(ControlPlane plane) {
    plane.kubectl("wait", "--for=condition=Established", "--timeout=60s", "crd/clusternetworks.plainroute.io",
        "crd/nodenetworks.plainroute.io", "crd/subnetclaims.plainroute.io").orThrow();
  }

  private static PodSpec controllerPod(List<HasMetadata> objects) {
    return Manifests.one(objects, Deployment.class, "plainroute-controller").getSpec().getTemplate().getSpec();
  }

  private static PodSpec agentPod(List<HasMetadata> objects) {
    return Manifests.one(objects, DaemonSet.class, "plainroute-agent").getSpec().getTemplate().getSpec();
  }

  private static Container container(PodSpec pod) {
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    return pod.getContainers().get(0);
  }

  private static EnvVar env(Container c, String name) {
    return c.getEnv().stream().filter(e -> e.getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("container " + c.getName() + " has no env " + name));
  }
}
