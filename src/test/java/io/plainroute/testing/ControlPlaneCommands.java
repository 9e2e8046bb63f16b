package io.plainroute.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command lines of the control plane's components, as {@link ControlPlane} runs them on
 * loopback ports with their files in one directory. {@code hack/lab/lib/controlplane.sh} runs the
 * same components with the same flags inside the lab's "cp" namespace: change both together.
 */
final class ControlPlaneCommands {
  /*
   * TEST-NET-2 (RFC 5737): reserved for documentation, so it cannot overlap any range of a lab
   * or a CI network. It is only a flag value; nothing routes it.
   */
  private static final String SERVICE_CLUSTER_IP_RANGE = "198.51.100.0/24";
  private static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";

  private ControlPlaneCommands() {
  }

  static List<String> etcd(KubeBinaries binaries, RunDirectory dir, int etcdPort, int etcdPeerPort) {
    String client = "http://127.0.0.1:" + etcdPort;
    String peer = "http://127.0.0.1:" + etcdPeerPort;
    return List.of(binaries.etcd().toString(),
        "--name=test",
        "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=test=" + peer,
        // Test data is disposable; fsync would dominate start-up and every write.
        "--unsafe-no-fsync=true",
        "--log-level=warn");
  }

  /** Reads {@code tokens.csv} and the service-account keys that {@link ControlPlane} wrote into {@code dir}. */
  static List<String> apiServer(KubeBinaries binaries, RunDirectory dir, int etcdPort, int apiServerPort) {
    return List.of(binaries.kubeApiServer().toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiServerPort,
        // Without cert/key flags the apiserver self-signs into this directory; it reuses
        // the files on restart, so the kubeconfig's CA stays valid.
        "--cert-dir=" + dir.resolve("apiserver-certs"),
        "--token-auth-file=" + dir.resolve("tokens.csv"),
        "--authorization-mode=Node,RBAC",
        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
        "--service-account-key-file=" + dir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + dir.resolve("sa.key"),
        "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
        // No serviceaccount controller runs, so the "default" ServiceAccount that this
        // plugin requires for every Pod would never appear.
        "--disable-admission-plugins=ServiceAccount",
        // 127.0.0.1 is not a valid endpoint address; the "kubernetes" Service's
        // endpoints are of no use without nodes anyway.
        "--endpoint-reconciler-type=none");
  }

  static List<String> controllerManager(KubeBinaries binaries, Path kubeconfig, RunDirectory dir, int controllerManagerPort,
      List<String> controllers, List<String> controllerManagerArgs) {
    List<String> command = new ArrayList<>(List.of(binaries.kubeControllerManager().toString(),
        "--kubeconfig=" + kubeconfig,
        "--controllers=" + String.join(",", controllers),
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + controllerManagerPort,
        "--cert-dir=" + dir.resolve("kcm-certs")));
    command.addAll(controllerManagerArgs);
    return command;
  }
}
