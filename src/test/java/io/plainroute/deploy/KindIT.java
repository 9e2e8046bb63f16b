package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.dajudge.kindcontainer.KindContainer;
import com.dajudge.kindcontainer.KindContainerVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.utility.MountableFile;

/**
 * config/default deployed into a real kind cluster, for users who have a Docker engine (it is
 * skipped, saying so, where there is none — as on the machines this project is built on, where
 * the netns lab of AgentIT is the proof). What it takes, and what it cannot show:
 *
 * <ul>
 *   <li>kindcontainer starts a <b>one-node</b> kind cluster, so this test proves the manifests on
 *       a real kubelet and container runtime and pod-to-pod traffic through plainroute's bridge on
 *       that node; traffic <i>between</i> nodes needs a multi-node kind cluster (the kind CLI),
 *       which kindcontainer does not make. AgentIT proves that part.</li>
 *   <li>kind installs its own CNI (kindnet); it is removed first, as a user would remove the
 *       previous pod network.</li>
 *   <li>kind's node image ships only the host-local, loopback, portmap and ptp plugins — no
 *       {@code bridge}. The test copies this machine's {@code /usr/lib/cni/bridge} (Debian's
 *       containernetworking-plugins) into the node, as an operator of such nodes would have to.</li>
 *   <li>The operator image comes from {@code make image} (system property {@code plainroute.image.tar},
 *       default target/plainroute-image.tar) and is imported into the node's containerd under the
 *       name config/default uses.</li>
 * </ul>
 */
@EnabledIf(value = "dockerEngine", disabledReason = "no Docker engine: KindIT runs kind through Testcontainers; "
    + "without Docker the netns lab (AgentIT) is the proof")
class KindIT {
  private static final String IMAGE = "ghcr.io/plainroute/plainroute:0.1.0";
  private static final Path IMAGE_TAR = Path.of(System.getProperty("plainroute.image.tar", "target/plainroute-image.tar"));
  private static final Path BRIDGE_PLUGIN = Path.of("/usr/lib/cni/bridge");
  private static final Pattern IMPORTED = Pattern.compile("unpacking (\\S+) \\(");
  private static KindContainer<?> kind;

  static boolean dockerEngine() {
    return DockerClientFactory.instance().isDockerAvailable();
  }

  private static void deployIntoKind() throws Exception {
    assumeTrue(Files.isRegularFile(IMAGE_TAR), "no operator image at " + IMAGE_TAR + ": build it with `make image` first");
    assumeTrue(Files.isRegularFile(BRIDGE_PLUGIN), "no " + BRIDGE_PLUGIN + " to put into the kind node (install containernetworking-plugins)");

    kind = new KindContainer<>(KindContainerVersion.VERSION_1_31_0);
    kind.start();
    // The pod network being replaced.
    run("kubectl", "-n", "kube-system", "delete", "daemonset", "kindnet", "--wait=true");
    run("sh", "-c", "rm -f /etc/cni/net.d/*kindnet*");
    kind.copyFileToContainer(MountableFile.forHostPath(BRIDGE_PLUGIN, 0755), "/opt/cni/bin/bridge");

    kind.copyFileToContainer(MountableFile.forHostPath(IMAGE_TAR), "/plainroute/image.tar");
    Matcher imported = IMPORTED.matcher(run("ctr", "-n", "k8s.io", "images", "import", "/plainroute/image.tar"));
    assertThat(imported.find()).as("ctr names the image it imported").isTrue();
    if (!imported.group(1).equals(IMAGE)) {
      run("ctr", "-n", "k8s.io", "images", "tag", "--force", imported.group(1), IMAGE);
    }

    kind.copyFileToContainer(MountableFile.forHostPath(Path.of("config")), "/plainroute/config");
    kind.copyFileToContainer(MountableFile.forHostPath(Path.of("crds")), "/plainroute/crds");
    run("kubectl", "apply", "-k", "/plainroute/config/default");
    run("kubectl", "wait", "--for=condition=Established", "--timeout=60s", "crd/clusternetworks.plainroute.io");
    run("kubectl", "apply", "-f", "/plainroute/config/samples/clusternetwork.yaml");
  }

  @AfterAll
  static void stop() {
    if (kind != null) {
      kind.stop();
    }
  }

  @Test
  void theNodeIsProgrammedAndPodsTalkThroughPlainroutesBridge() throws Exception {
    deployIntoKind();
    run("kubectl", "-n", "plainroute-system", "rollout", "status", "daemonset/plainroute-agent", "--timeout=180s");
    run("kubectl", "-n", "plainroute-system", "rollout", "status", "deployment/plainroute-controller", "--timeout=180s");
    String node = run("kubectl", "get", "nodes", "-o", "jsonpath={.items[0].metadata.name}").strip();
    run("kubectl", "wait", "--for=condition=Ready", "--timeout=120s", "nodenetwork/" + node);
    String podCIDR = run("kubectl", "get", "nodenetwork", node, "-o", "jsonpath={.spec.podCIDR}").strip();
    assertThat(podCIDR).startsWith("10.244.");
    assertThat(run("cat", "/etc/cni/net.d/10-plainroute.conflist")).contains(podCIDR);

    for (String pod : List.of("a", "b")) {
      run("kubectl", "run", pod, "--image=busybox:1.36", "--restart=Never", "--", "sleep", "3600");
    }
    run("kubectl", "wait", "--for=condition=Ready", "--timeout=180s", "pod/a", "pod/b");
    String a = run("kubectl", "get", "pod", "a", "-o", "jsonpath={.status.podIP}").strip();
    String b = run("kubectl", "get", "pod", "b", "-o", "jsonpath={.status.podIP}").strip();
    String prefix = podCIDR.substring(0, podCIDR.lastIndexOf('.') + 1);
    assertThat(a).startsWith(prefix);
    assertThat(b).startsWith(prefix);
    assertThat(run("kubectl", "exec", "a", "--", "ping", "-c", "3", "-W", "2", b)).contains("3 packets received");
  }

  /** Runs a command in the kind node (where kubectl is configured for the cluster); its stdout. */
  private static String run(String... command) throws Exception {
    ExecResult result = kind.execInContainer(command);
    if (result.getExitCode() != 0) {
      throw new AssertionError(String.join(" ", command) + " exited with " + result.getExitCode() + "\n" + result.getStdout() + result.getStderr());
    }
    return result.getStdout();
  }
}
