package io.plainroute.install;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * The agent DaemonSet the controller installs: config/agent/daemonset.yaml, copied into the jar by
 * the build, so the plain manifests and the OLM install run one definition. Only the namespace and
 * the image are the installation's own.
 */
public final class AgentDaemonSetTemplate {
  /** Where the build puts config/agent/daemonset.yaml (pom.xml, resources). */
  static final String RESOURCE = "/io/plainroute/install/daemonset.yaml";

  private final DaemonSet template;

  AgentDaemonSetTemplate(DaemonSet template) {
    boolean hasContainers = Optional.ofNullable(template.getSpec()).map(s -> s.getTemplate()).map(t -> t.getSpec())
        .map(p -> p.getContainers()).filter(c -> !c.isEmpty()).isPresent();
    if (!hasContainers) {
      throw new IllegalArgumentException("the agent DaemonSet template has no containers");
    }
    this.template = template;
  }

  /** The template shipped in this jar. */
  public static AgentDaemonSetTemplate fromJar(KubernetesSerialization serialization) {
    try (InputStream in = AgentDaemonSetTemplate.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar: the build copies it from config/agent/daemonset.yaml");
      }
      return new AgentDaemonSetTemplate(serialization.unmarshal(in, DaemonSet.class));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String name() {
    return template.getMetadata().getName();
  }

  /** The template's image: the release's. */
  public String image() {
    return template.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
  }

  /** The DaemonSet for this installation: the template in {@code namespace}, every container on {@code image} if given. */
  public DaemonSet render(String namespace, Optional<String> image) {
    DaemonSet ds = new DaemonSetBuilder(template).editMetadata().withNamespace(namespace).endMetadata().build();
    image.ifPresent(i -> ds.getSpec().getTemplate().getSpec().getContainers().forEach(c -> c.setImage(i)));
    return ds;
  }
}
