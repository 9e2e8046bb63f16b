package io.plainroute.install;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The agent DaemonSet the controller installs: config/agent/daemonset.yaml, copied into the jar by
 * the build, so the plain manifests and the OLM install run one definition. Only the namespace and
 * the image are the installation's own, and the API server's address when one is given.
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
    return render(namespace, image, Optional.empty());
  }

  /**
   * Like {@link #render(String, Optional)}, every container also told the API server's address
   * (KUBERNETES_SERVICE_HOST/PORT, which the kubelet would otherwise set to the "kubernetes" Service's).
   */
  public DaemonSet render(String namespace, Optional<String> image, Optional<ApiServerAddress> apiServer) {
    DaemonSet ds = new DaemonSetBuilder(template).editMetadata().withNamespace(namespace).endMetadata().build();
    List<Container> containers = ds.getSpec().getTemplate().getSpec().getContainers();
    image.ifPresent(i -> containers.forEach(c -> c.setImage(i)));
    apiServer.ifPresent(a -> containers.forEach(c -> {
      setEnv(c, "KUBERNETES_SERVICE_HOST", a.host());
      setEnv(c, "KUBERNETES_SERVICE_PORT", Integer.toString(a.port()));
    }));
    return ds;
  }

  private static void setEnv(Container container, String name, String value) {
    List<EnvVar> env = new ArrayList<>(Optional.ofNullable(container.getEnv()).orElse(List.of()));
    env.removeIf(e -> e.getName().equals(name));
    env.add(new EnvVar(name, value, null));
    container.setEnv(env);
  }
}
