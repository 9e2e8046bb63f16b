package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.Command;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * plainroute deployed from its manifests onto real nodes: the lab with {@code --real-nodes}, where
 * every node runs containerd and a kubelet; {@code kubectl apply -k config/default} (through the
 * lab's overlay, {@code hack/lab/lib/deploy.sh}) with the image of {@code make image}; the
 * controller's Deployment and the agent's DaemonSet run as pods under the kubelets, and the test
 * pods are started by the kubelets and attached by containerd with the agent's conflist and the
 * reference CNI plugins. The tests run in order: the later ones change the cluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealNodesE2E {

  private static final String SYSTEM = "plainroute-system";
  private static final Duration POD_START = Duration.ofMinutes(3);
  private static final Duration CONVERGE = Duration.ofSeconds(90);
  private static final Path IMAGE = Path.of("target", "plainroute-image.tar").toAbsolutePath();

  private Lab lab;
  private KubeletPods pods;
  // node -> test pod name -> address
  private final Map<String, String> testPods = new LinkedHashMap<>();

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces, cgroups and runs containerd");
    buildImageIfStale();
    Instant begin = Instant.now();
    lab = Lab.up(new Lab.Topology("192.168.1.0/24", 2, List.of("10.244.0.0/16"), 24), "--real-nodes", "--image", IMAGE.toString());
    pods = new KubeletPods(lab);
    System.out.printf("[e2e] real-node lab %s up, plainroute deployed and every NodeNetwork Ready in %d s%n", lab.name(),
        Duration.between(begin, Instant.now()).toSeconds());
    for (String node : List.of("node01", "node02")) {
      testPods.put("t-" + node, pods.start(node, "t-" + node, POD_START));
    }
  }

  /** `make image` when the archive is missing or older than the jar it packs. */
  static void buildImageIfStale() {
    try {
      Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
      if (Files.isRegularFile(IMAGE) && Files.getLastModifiedTime(IMAGE).compareTo(Files.getLastModifiedTime(jar)) >= 0) {
        return;
      }
      Instant begin = Instant.now();
      Command.of(List.of("bash", "hack/image/build.sh", "--if-stale")).timeout(Duration.ofMinutes(20)).run().orThrow();
      System.out.printf("[e2e] make image: %d s%n", Duration.between(begin, Instant.now()).toSeconds());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @AfterAll
  void stopLab() throws Exception {
    if (lab != null) {
      System.out.println("[e2e] kubectl get pods -A -o wide\n" + lab.tryLab("kubectl", "get", "pods", "-A", "-o", "wide").stdout());
      lab.close();
      // Nothing of the nodes stays behind: their cgroups (with whatever ran in them), their
      // containers' mounts, their namespaces.
      assertThat(Path.of("/sys/fs/cgroup/memory/plainroute-" + lab.name())).doesNotExist();
      assertThat(Files.readString(Path.of("/proc/mounts"))).doesNotContain(lab.state().toString());
      assertThat(Command.of("ip", "netns", "list").run().orThrow()).doesNotContain(lab.name() + "-");
    }
  }

  @Test
  @Order(1)
  void theManifestsRunAsPodsUnderTheKubelets() {
    List<Node> nodes = lab.client().nodes().list().getItems();
    assertThat(nodes).extracting(n -> n.getMetadata().getName()).containsExactlyInAnyOrder("node01", "node02");
    // Registered by the kubelets themselves, and Ready once the agent's conflist is there.
    assertThat(nodes).allSatisfy(n -> {
      assertThat(n.getStatus().getNodeInfo().getContainerRuntimeVersion()).startsWith("containerd://");
      await().atMost(CONVERGE).until(() -> nodeReady(n.getMetadata().getName()));
    });

    DaemonSet agents = lab.client().apps().daemonSets().inNamespace(SYSTEM).withName("plainroute-agent").get();
    assertThat(agents.getStatus().getNumberReady()).isEqualTo(2);
    Deployment controller = lab.client().apps().deployments().inNamespace(SYSTEM).withName("plainroute-controller").get();
    await().atMost(POD_START).until(() -> Objects.equals(lab.client().apps().deployments().inNamespace(SYSTEM)
        .withName("plainroute-controller").get().getStatus().getReadyReplicas(), controller.getSpec().getReplicas()));

    for (Pod agent : agentPods()) {
      assertThat(agent.getSpec().getHostNetwork()).isTrue();
      assertThat(ready(agent)).as("agent pod %s Ready (its readiness probe passes)", agent.getMetadata().getName()).isTrue();
      Container container = agent.getSpec().getContainers().get(0);
      assertThat(container.getSecurityContext().getCapabilities().getAdd()).containsExactly("NET_ADMIN");
      assertThat(container.getSecurityContext().getPrivileged()).isFalse();
      assertThat(container.getReadinessProbe()).isNotNull();
      // A projected, node-bound service account token, as the kubelet requests it.
      assertThat(agent.getSpec().getVolumes()).anySatisfy(v -> assertThat(v.getProjected()).isNotNull());
    }
    // Each agent wrote the conflist into its own node's /etc/cni/net.d (a hostPath), which the
    // node's containerd reads.
    for (String node : List.of("node01", "node02")) {
      assertThat(lab.state().resolve("nodes").resolve(node).resolve("cni/net.d/10-plainroute.conflist")).isRegularFile();
    }
  }

  @Test
  @Order(2)
  void testPodsStartedByTheKubeletsHaveAddressesOfTheirNodesSubnets() {
    Map<String, String> subnets = new LinkedHashMap<>();
    for (NodeNetwork network : lab.client().resources(NodeNetwork.class).list().getItems()) {
      subnets.put(network.getMetadata().getName(), network.getSpec().getPodCIDR());
    }
    testPods.forEach((pod, address) -> {
      String node = pod.substring(2);
      assertThat(new IPAddressString(subnets.get(node)).contains(new IPAddressString(address)))
          .as("pod %s at %s inside %s's subnet %s", pod, address, node, subnets.get(node)).isTrue();
    });
  }

  @Test
  @Order(3)
  void everyPodReachesEveryOtherPodAcrossNodes() {
    testPods.forEach((from, fromAddress) -> testPods.forEach((to, address) -> {
      if (!from.equals(to)) {
        assertThat(pods.ping(from, address, 2)).as("ping from %s to %s (%s)", from, to, address).isTrue();
      }
    }));
    Lab.Result ping = pods.exec("t-node01", "ping", "-c", "3", testPods.get("t-node02"));
    System.out.println("[e2e] kubectl exec t-node01 -- ping -c 3 " + testPods.get("t-node02") + "\n" + ping.stdout());
  }

  @Test
  @Order(4)
  void theReceivingPodSeesTheSendingPodsOwnAddress() {
    testPods.forEach((from, fromAddress) -> testPods.forEach((to, address) -> {
      if (!from.equals(to)) {
        assertThat(pods.sourceSeenBy(from, address, KubeletPods.ECHO_PORT, CONVERGE))
            .as("source address seen by %s for a datagram from %s", to, from).isEqualTo(fromAddress);
      }
    }));
  }

  @Test
  @Order(5)
  void trafficLeavingTheClusterIsMasqueradedToTheNodesAddress() {
    String outside = lab.setting("OUT_IP4");
    lab.lab("echo-server", "out");
    for (String node : List.of("node01", "node02")) {
      String nodeAddress = lab.client().nodes().withName(node).get().getStatus().getAddresses().stream()
          .filter(a -> a.getType().equals("InternalIP")).findFirst().orElseThrow().getAddress();
      assertThat(pods.sourceSeenBy("t-" + node, outside, KubeletPods.ECHO_PORT, CONVERGE)).as("source seen outside for t-%s", node).isEqualTo(nodeAddress);
    }
  }

  @Test
  @Order(6)
  void anAgentPodDeletedAndRecreatedByItsDaemonSetLosesNoPacket() throws Exception {
    Pod victim = agentPods().stream().filter(p -> p.getSpec().getNodeName().equals("node01")).findFirst().orElseThrow();
    ExecutorService pinger = Executors.newSingleThreadExecutor();
    try {
      // 15 s of pings at 5/s from node01's pod to node02's, across the agent's deletion and return.
      Future<Lab.Result> ping = pinger.submit(() -> pods.exec("t-node01", "ping", "-c", "75", "-i", "0.2", "-W", "1",
          testPods.get("t-node02")));
      lab.client().pods().inNamespace(SYSTEM).withName(victim.getMetadata().getName()).delete();
      await().atMost(POD_START).pollInterval(Duration.ofMillis(500)).until(() -> agentPods().stream()
          .anyMatch(p -> p.getSpec().getNodeName().equals("node01") && !p.getMetadata().getUid().equals(victim.getMetadata().getUid())
              && ready(p)));
      Lab.Result result = ping.get();
      assertThat(result.stdout()).as("ping across the agent pod's replacement").contains("75 packets transmitted, 75 packets received, 0% packet loss");
    } finally {
      pinger.shutdownNow();
    }
  }

  @Test
  @Order(7)
  void aNodeJoinsItsKubeletRegistersAndItsPodsReachTheOthers() {
    lab.lab("node", "add", "node03");
    await().atMost(POD_START).until(() -> nodeReady("node03")
        && agentPods().stream().anyMatch(p -> p.getSpec().getNodeName().equals("node03") && ready(p)));
    String address = pods.start("node03", "t-node03", POD_START);
    testPods.put("t-node03", address);
    for (String other : List.of("t-node01", "t-node02")) {
      await().atMost(CONVERGE).until(() -> pods.ping(other, address, 1));
      assertThat(pods.ping("t-node03", testPods.get(other), 2)).isTrue();
    }
  }

  @Test
  @Order(8)
  void aNodeLeavesAndTheOthersForgetItsSubnet() {
    String subnet = lab.client().resources(NodeNetwork.class).withName("node03").get().getSpec().getPodCIDR();
    lab.lab("node", "delete", "node03");
    testPods.remove("t-node03");
    await().atMost(CONVERGE).pollInterval(Duration.ofMillis(500)).until(() ->
        lab.client().resources(NodeNetwork.class).withName("node03").get() == null
            && List.of("node01", "node02").stream().noneMatch(n -> lab.exec(n, "ip", "-4", "route", "show", subnet).contains("via")));
    assertThat(pods.ping("t-node01", testPods.get("t-node02"), 2)).isTrue();
  }

  private List<Pod> agentPods() {
    return lab.client().pods().inNamespace(SYSTEM).withLabel("app.kubernetes.io/component", "agent").list().getItems();
  }

  private boolean nodeReady(String node) {
    Node n = lab.client().nodes().withName(node).get();
    return n != null && n.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }

  private static boolean ready(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions().stream()
        .anyMatch((PodCondition c) -> c.getType().equals("Ready") && c.getStatus().equals("True"));
  }
}
