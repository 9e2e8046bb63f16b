package io.plainroute.deploy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.plainroute.testing.ControlPlane;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The objects a kustomization under config/ renders to, built by the kubectl of the test control plane. */
final class Manifests {
  static final String NAMESPACE = "plainroute-system";
  static final String CONTROLLER = "system:serviceaccount:" + NAMESPACE + ":plainroute-controller";
  static final String AGENT = "system:serviceaccount:" + NAMESPACE + ":plainroute-agent";

  private Manifests() {}

  /** {@code kubectl kustomize <dir>}: what {@code kubectl apply -k <dir>} would send. */
  static String render(ControlPlane plane, String dir) {
    return plane.kubectl("kustomize", dir).orThrow();
  }

  static List<HasMetadata> objects(ControlPlane plane, String dir) {
    return plane.client().load(new ByteArrayInputStream(render(plane, dir).getBytes(StandardCharsets.UTF_8))).items();
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind, String name) {
    return (T) objects.stream().filter(kind::isInstance).filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind.getSimpleName() + " " + name + " among the manifests"));
  }

  /** {@code kubectl auth can-i}, e.g. ("update", "nodenetworks.plainroute.io/status") as a service account. */
  static String canI(ControlPlane plane, String user, String verb, String resource, String namespace) {
    String[] parts = resource.split("/");
    List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i", verb, parts[0], "--as=" + user));
    if (parts.length > 1) {
      args.add("--subresource=" + parts[1]);
    }
    if (namespace != null && !namespace.isBlank()) {
      args.addAll(List.of("-n", namespace));
    }
    // can-i exits with 1 for "no": stdout carries the answer either way.
    return plane.kubectl(args.toArray(String[]::new)).stdout().strip();
  }
}
