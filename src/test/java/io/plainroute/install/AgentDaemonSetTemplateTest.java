package io.plainroute.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentDaemonSetTemplateTest {
  private final KubernetesSerialization serialization = new KubernetesSerialization();

  @Test
  void theJarCarriesConfigAgentsDaemonSetUnchanged() throws IOException {
    DaemonSet config = serialization.unmarshal(Files.readString(Path.of("config/agent/daemonset.yaml")), DaemonSet.class);
    AgentDaemonSetTemplate template = AgentDaemonSetTemplate.fromJar(serialization);
    assertThat(template.render(config.getMetadata().getNamespace(), Optional.empty())).isEqualTo(config);
  }

  @Test
  void rendersIntoTheGivenNamespaceOnTheGivenImage() {
    AgentDaemonSetTemplate template = AgentDaemonSetTemplate.fromJar(serialization);
    DaemonSet ds = template.render("operators", Optional.of("mirror.example/plainroute@sha256:0123"));
    assertThat(ds.getMetadata().getNamespace()).isEqualTo("operators");
    assertThat(ds.getMetadata().getName()).isEqualTo("plainroute-agent");
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers()).allSatisfy(c -> assertThat(c.getImage()).isEqualTo("mirror.example/plainroute@sha256:0123"));
    assertThat(template.render("operators", Optional.empty()).getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("the template itself is not changed by rendering").isEqualTo(template.image());
  }

  @Test
  void givesEveryContainerTheApiServersAddressInsteadOfTheServiceOne() {
    AgentDaemonSetTemplate template = AgentDaemonSetTemplate.fromJar(serialization);
    DaemonSet ds = template.render("operators", Optional.empty(),
        Optional.of(ApiServerAddress.parse("[fd00:192:168:1::10]:6443", "field")));
    assertThat(ds.getSpec().getTemplate().getSpec().getContainers()).allSatisfy(c -> assertThat(c.getEnv())
        .filteredOn(e -> e.getName().startsWith("KUBERNETES_SERVICE_"))
        .extracting(e -> e.getName() + "=" + e.getValue())
        .containsExactly("KUBERNETES_SERVICE_HOST=fd00:192:168:1::10", "KUBERNETES_SERVICE_PORT=6443"));
    assertThat(template.render("operators", Optional.empty()).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .as("without an address the kubelet's defaults stay").noneMatch(e -> e.getName().startsWith("KUBERNETES_SERVICE_"));
  }

  @Test
  void refusesATemplateWithoutContainers() {
    DaemonSet empty = new DaemonSetBuilder().withNewMetadata().withName("x").endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().endSpec().endTemplate().endSpec().build();
    assertThatThrownBy(() -> new AgentDaemonSetTemplate(empty)).hasMessageContaining("no containers");
  }
}
