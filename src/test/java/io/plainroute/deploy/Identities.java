package io.plainroute.deploy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.plainroute.testing.ControlPlane;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real service-account tokens of plainroute's identities, as a cluster hands them to its pods. */
final class Identities {

  private Identities() {}

  /** A token of a ServiceAccount of plainroute-system that is bound to nothing (like `kubectl create token`). */
  static String token(ControlPlane plane, String serviceAccount) {
    return plane.kubectl("create", "token", serviceAccount, "-n", Manifests.NAMESPACE, "--duration=1h").orThrow().strip();
  }

  /**
   * The token the kubelet of {@code node} gets for the agent's Pod there: the DaemonSet's Pod
   * (made here as the DaemonSet controller would, already bound to the node) and a TokenRequest
   * bound to that Pod, which is what a projected service-account volume asks for.
   */
  static String agentTokenOn(ControlPlane plane, String node) {
    String pod = "plainroute-agent-" + node;
    plane.client().pods().inNamespace(Manifests.NAMESPACE).resource(new PodBuilder()
        .withNewMetadata().withName(pod).endMetadata()
        .withNewSpec().withNodeName(node).withServiceAccountName("plainroute-agent")
        .addNewContainer().withName("agent").withImage("ghcr.io/plainroute/plainroute:0.1.0").endContainer().endSpec()
        .build()).create();
    return plane.kubectl("create", "token", "plainroute-agent", "-n", Manifests.NAMESPACE,
        "--bound-object-kind=Pod", "--bound-object-name=" + pod, "--duration=1h").orThrow().strip();
  }

  /** The control plane's kubeconfig with {@code token} instead of the test's admin token. */
  static Path kubeconfig(ControlPlane plane, String name, String token) {
    Path kubeconfig = plane.directory().resolve(name + ".kubeconfig");
    try {
      Files.writeString(kubeconfig, Files.readString(plane.kubeconfig()).replaceAll("(?m)^(\\s*token:).*$", "$1 " + token));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return kubeconfig;
  }
}
