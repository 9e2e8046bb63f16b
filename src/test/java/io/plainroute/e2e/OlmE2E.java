package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.plainroute.testing.Command;
import io.plainroute.testing.KubeBinaries;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * plainroute installed, upgraded and uninstalled by OLM, as an OLM user does it, in a lab of real
 * nodes (containerd and kubelet per node): OLM's operators built from their Go module, the catalog
 * and bundles as local images (hack/olm). A Subscription installs the first bundle version (CSV
 * Succeeded, the controller installs the agent DaemonSet, kubelet-run pods ping across nodes), the
 * approved upgrade replaces it by the second, and deleting the Subscription and the CSV removes the
 * operator while the CRDs and the agents stay.
 */
class OlmE2E {
  private static final Path LAB_OLM = Path.of("hack", "olm", "lab-olm.sh").toAbsolutePath();
  private static final String NS = "operators";
  private static final ResourceDefinitionContext CSV = context("ClusterServiceVersion", "clusterserviceversions", "v1alpha1");
  private static final ResourceDefinitionContext SUBSCRIPTION = context("Subscription", "subscriptions", "v1alpha1");
  private static final Duration INSTALL = Duration.ofMinutes(6);

  @Test
  void subscriptionInstallsUpgradesAndUninstallsPlainroute() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces, cgroups and runs containerd");
    RealNodesE2E.buildImageIfStale();
    // OLM, opm and the OLM images before the lab: make test builds them in the background from its
    // start, and this waits on that build's lock instead of three idle nodes waiting for it.
    Command.of(List.of("bash", "hack/olm/images.sh")).timeout(Duration.ofMinutes(60)).run().orThrow();
    // Three nodes: OLM's two operators (hostNetwork, both on port 8080) need two, and the upgrade's
    // rolling update of the controller (hostNetwork, port 9766, two replicas, one surge pod) a third.
    try (Lab lab = Lab.up(Lab.Topology.lectures(), "--real-nodes", "--no-network")) {
      try {
        installUpgradeUninstall(lab);
      } catch (RuntimeException | AssertionError e) {
        printState(lab);
        throw e;
      }
    }
  }

  private static void installUpgradeUninstall(Lab lab) {
    KubernetesClient client = lab.client();
    olm(lab, "up");
    String first = csvName("bundle/manifests/plainroute.clusterserviceversion.yaml");
    String second = first.replaceFirst("\\.(\\d+)$", "") + "." + (Integer.parseInt(first.replaceFirst(".*\\.", "")) + 1);

    olm(lab, "subscribe");
    olm(lab, "approve", first);
    awaitSucceeded(client, first);
    lab.kubectl("apply", "-f", Path.of("config/samples/clusternetwork.yaml").toAbsolutePath().toString());
    awaitAgentsReady(client, lab.topology().nodes());
    lab.lab("wait-ready", "300");
    assertPodsPingAcrossNodes(lab, "a");

    olm(lab, "approve", second);
    awaitSucceeded(client, second);
    await("the first CSV replaced").atMost(INSTALL).pollInterval(Duration.ofSeconds(2))
        .until(() -> csv(client, first).isEmpty());
    assertThat(client.genericKubernetesResources(SUBSCRIPTION).inNamespace(NS).withName("plainroute").get()
        .getAdditionalProperties()).extracting(p -> ((Map<?, ?>) p.get("status")).get("installedCSV")).isEqualTo(second);
    awaitAgentsReady(client, lab.topology().nodes());
    assertPodsPingAcrossNodes(lab, "b");
    System.out.println("[e2e] kubectl get csv -A\n" + lab.kubectl("get", "csv", "-A"));
    System.out.println("[e2e] kubectl get pods -A -o wide\n" + lab.kubectl("get", "pods", "-A", "-o", "wide"));

    olm(lab, "uninstall");
    await("the operator's pods gone").atMost(INSTALL).pollInterval(Duration.ofSeconds(2)).until(() -> client.pods()
        .inNamespace(NS).withLabel("app.kubernetes.io/component", "controller").list().getItems().isEmpty());
    assertThat(csv(client, second)).as("the CSV is deleted").isEmpty();
    assertThat(client.apiextensions().v1().customResourceDefinitions().withName("clusternetworks.plainroute.io").get())
        .as("OLM leaves the CRDs (and so the users' objects)").isNotNull();
    assertThat(client.apps().daemonSets().inNamespace(NS).withName("plainroute-agent").get())
        .as("nothing owns the agent DaemonSet: the nodes keep their pod network").isNotNull();
  }

  /** What OLM and the cluster say, for a failure's report: OLM's state lives in the lab, which goes with the test. */
  private static void printState(Lab lab) {
    String[][] views = {
        {"get", "subscriptions,installplans,csv", "-n", NS, "-o", "wide"},
        {"get", "csv", "-n", NS, "-o", "jsonpath={range .items[*]}{.metadata.name}: {.status.phase} {.status.reason} {.status.message}{\"\\n\"}{end}"},
        {"get", "deployments,pods", "-A", "-o", "wide"},
        {"describe", "deployment", "-n", NS, "plainroute-controller"},
        {"get", "events", "-A", "--sort-by=.lastTimestamp"},
        {"logs", "-n", "olm", "deployment/olm-operator", "--tail=60"},
        {"logs", "-n", "olm", "deployment/catalog-operator", "--tail=60"},
    };
    for (String[] view : views) {
      var result = lab.tryLab(concat(new String[] {"kubectl"}, view));
      System.out.println("[e2e] kubectl " + String.join(" ", view) + "\n" + result.stdout() + result.stderr());
    }
  }

  private static void olm(Lab lab, String... args) {
    Command command = Command.of(concat(new String[] {"bash", LAB_OLM.toString(), "--name", lab.name()}, args))
        .timeout(Duration.ofMinutes(10));
    String bin = System.getProperty(KubeBinaries.BIN_PROPERTY, "");
    if (!bin.isBlank()) {
      command.env("K8S_BIN", bin);
    }
    command.run().orThrow();
  }

  private static void awaitSucceeded(KubernetesClient client, String name) {
    await(name + " Succeeded").atMost(INSTALL).pollInterval(Duration.ofSeconds(2)).until(() -> csv(client, name)
        .map(c -> (Map<?, ?>) c.getAdditionalProperties().get("status")).map(s -> "Succeeded".equals(s.get("phase")))
        .orElse(false));
  }

  private static void awaitAgentsReady(KubernetesClient client, int nodes) {
    await("the agent DaemonSet the controller installs, Ready on every node").atMost(INSTALL)
        .pollInterval(Duration.ofSeconds(2)).until(() -> {
          DaemonSet ds = client.apps().daemonSets().inNamespace(NS).withName("plainroute-agent").get();
          return ds != null && ds.getStatus() != null && Integer.valueOf(nodes).equals(ds.getStatus().getNumberReady())
              && Integer.valueOf(nodes).equals(ds.getStatus().getUpdatedNumberScheduled());
        });
  }

  private static void assertPodsPingAcrossNodes(Lab lab, String suffix) {
    KubeletPods pods = new KubeletPods(lab);
    String one = pods.start("node01", "olm-ping-1" + suffix, Duration.ofMinutes(3));
    String two = pods.start("node02", "olm-ping-2" + suffix, Duration.ofMinutes(3));
    await("pods on node01 and node02 reach each other").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1))
        .until(() -> pods.ping("olm-ping-1" + suffix, two, 3) && pods.ping("olm-ping-2" + suffix, one, 3));
    System.out.println("[e2e] olm-ping-1" + suffix + " (node01, " + one + ") -> olm-ping-2" + suffix + " (node02):\n"
        + pods.exec("olm-ping-1" + suffix, "ping", "-c", "2", two).stdout());
    pods.delete("olm-ping-1" + suffix);
    pods.delete("olm-ping-2" + suffix);
  }

  private static Optional<GenericKubernetesResource> csv(KubernetesClient client, String name) {
    return Optional.ofNullable(client.genericKubernetesResources(CSV).inNamespace(NS).withName(name).get());
  }

  private static String csvName(String file) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith("  name: plainroute.v"))
          .findFirst().orElseThrow().substring("  name: ".length());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static ResourceDefinitionContext context(String kind, String plural, String version) {
    return new ResourceDefinitionContext.Builder().withGroup("operators.coreos.com").withVersion(version)
        .withKind(kind).withPlural(plural).withNamespaced(true).build();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
