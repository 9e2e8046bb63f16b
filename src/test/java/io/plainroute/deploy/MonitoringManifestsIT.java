package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The optional monitoring component, as kustomize renders it with config/default
 * ({@code config/with-monitoring}): everything of config/default plus two PodMonitors and the
 * PrometheusRule, and each PodMonitor scrapes a port the workload it selects really serves its
 * metrics on. (The Prometheus operator's CRDs are not in this test's API server, so the objects
 * themselves are checked, not dry-run; the rules are promtool's, in AlertRulesTest.)
 */
@WithControlPlane(crds = false, controllers = {})
class MonitoringManifestsIT {

  @Test
  void withMonitoringIsConfigDefaultPlusPodMonitorsAndThePrometheusRule(ControlPlane plane) {
    List<String> plain = names(Manifests.objects(plane, "config/default"));
    List<HasMetadata> objects = Manifests.objects(plane, "config/with-monitoring");
    assertThat(names(objects)).containsAll(plain)
        .contains("PodMonitor/plainroute-controller", "PodMonitor/plainroute-agent", "PrometheusRule/plainroute")
        .hasSize(plain.size() + 3);
    assertThat(objects.stream().filter(o -> o.getApiVersion().startsWith("monitoring.coreos.com/")))
        .allSatisfy(o -> assertThat(o.getMetadata().getNamespace()).isEqualTo(Manifests.NAMESPACE));
  }

  @Test
  void eachPodMonitorScrapesThePortItsWorkloadServesMetricsOn(ControlPlane plane) {
    List<HasMetadata> objects = Manifests.objects(plane, "config/with-monitoring");
    PodTemplateSpec controller = Manifests.one(objects, Deployment.class, "plainroute-controller").getSpec().getTemplate();
    PodTemplateSpec agent = Manifests.one(objects, DaemonSet.class, "plainroute-agent").getSpec().getTemplate();
    assertScrapes(podMonitor(objects, "plainroute-controller"), controller, agent);
    assertScrapes(podMonitor(objects, "plainroute-agent"), agent, controller);
  }

  /** Selects {@code target}'s pods and not {@code other}'s, at the port Quarkus listens on, path /q/metrics. */
  @SuppressWarnings("unchecked")
  private static void assertScrapes(GenericKubernetesResource monitor, PodTemplateSpec target, PodTemplateSpec other) {
    Map<String, Object> spec = (Map<String, Object>) monitor.getAdditionalProperties().get("spec");
    Map<String, String> selector = (Map<String, String>) ((Map<String, Object>) spec.get("selector")).get("matchLabels");
    assertThat(target.getMetadata().getLabels()).as("pod labels selected by %s", monitor.getMetadata().getName())
        .containsAllEntriesOf(selector);
    assertThat(other.getMetadata().getLabels().entrySet().containsAll(selector.entrySet()))
        .as("%s also selects the other role's pods", monitor.getMetadata().getName()).isFalse();
    List<Map<String, Object>> endpoints = (List<Map<String, Object>>) spec.get("podMetricsEndpoints");
    assertThat(endpoints).singleElement().satisfies(endpoint -> {
      assertThat(endpoint.get("path")).isEqualTo("/q/metrics");
      Container container = target.getSpec().getContainers().get(0);
      ContainerPort port = container.getPorts().stream().filter(p -> p.getName().equals(endpoint.get("port"))).findFirst()
          .orElseThrow(() -> new AssertionError("no port named " + endpoint.get("port") + " in " + container.getName()));
      // Quarkus serves /q/metrics on QUARKUS_HTTP_PORT, 8080 unless set.
      String listens = container.getEnv().stream().filter(e -> e.getName().equals("QUARKUS_HTTP_PORT")).map(EnvVar::getValue)
          .findFirst().orElse("8080");
      assertThat(port.getContainerPort()).as("port %s of %s", port.getName(), container.getName()).hasToString(listens);
    });
  }

  private static GenericKubernetesResource podMonitor(List<HasMetadata> objects, String name) {
    return (GenericKubernetesResource) objects.stream()
        .filter(o -> o.getKind().equals("PodMonitor") && o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no PodMonitor " + name));
  }

  private static List<String> names(List<HasMetadata> objects) {
    return objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList();
  }
}
