package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.Container;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.LoopbackRelay;
import io.plainroute.testing.NetnsLab;
import io.plainroute.testing.OperatorProcess;
import io.plainroute.testing.TestNamespaces;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent confined the way config/agent/daemonset.yaml confines it, on a real kernel: in its
 * node's network namespace as its own (hostNetwork), root with CAP_NET_ADMIN as its only
 * capability and no-new-privs, /proc/sys read-only (what a container runtime does to an
 * unprivileged container), the CNI directory as its only node path, and the API through a
 * node-bound token of plainroute-agent with exactly config/rbac and config/admission. The
 * controller runs as plainroute-controller. Together they program the node: proof that the
 * DaemonSet's privileges and the agent's RBAC are enough, not only that they are small.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AgentAsDeployedIT {
  private static final Map<String, String> NODES = Map.of("node01", "192.168.1.11", "node02", "192.168.1.12");
  /** CAP_NET_ADMIN is capability 12: the agent's effective set must be exactly this bit. */
  private static final long CAP_NET_ADMIN_ONLY = 1L << 12;
  private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

  @TempDir
  static Path cniConfDir;
  private static NetnsLab lab;
  private static ControlPlane plane;
  private static OperatorProcess controller;
  private static OperatorProcess agent;
  private static LoopbackRelay relay;
  private static int agentPort;
  private static int controllerPort;

  @BeforeAll
  static void deploy() {
    assumeThat(TestNamespaces.isRoot()).as("needs root: creates network namespaces and confines the agent like a container runtime").isTrue();
    lab = NetnsLab.create(24);
    NODES.keySet().stream().sorted().forEach(node -> lab.addNode(node, NODES.get(node)));
    plane = ControlPlane.builder().name("agent-deployed").start();
    plane.installCrds(Path.of(System.getProperty("plainroute.crds", "crds")));
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
    plane.kubectl("apply", "-k", "config/admission").orThrow();
    plane.kubectl("apply", "-f", "config/samples/clusternetwork.yaml").orThrow();
    NODES.keySet().stream().sorted().forEach(AgentAsDeployedIT::registerNode);

    controller = OperatorProcess.builder(plane).name("controller-deployed").role("controller")
        .env("KUBECONFIG", Identities.kubeconfig(plane, "controller", Identities.token(plane, "plainroute-controller")).toString())
        .systemProperty("plainroute.leader-election.namespace", Manifests.NAMESPACE)
        .start();
    controllerPort = Integer.parseInt(controller.awaitLogLine(LISTENING, Duration.ofSeconds(60)).group(1));

    // The agent lives in node01's namespace entirely; the API server is on the machine's loopback.
    relay = LoopbackRelay.into(lab.namespace("node01"), URI.create(plane.apiServerUrl()).getPort());
    // The node's own setting (kubeadm requires it): with /proc/sys read-only the agent can only read it.
    lab.exec("node01", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    agent = OperatorProcess.builder(plane).name("node01-agent-deployed").role("agent")
        .env("KUBECONFIG", Identities.kubeconfig(plane, "agent-node01", Identities.agentTokenOn(plane, "node01")).toString())
        .env("NODE_NAME", "node01")
        .systemProperty("plainroute.agent.cni-conf-dir", cniConfDir.toString())
        .wrappedIn(List.of(
            "ip", "netns", "exec", lab.namespace("node01"),
            // ip netns exec gives the process a mount namespace of its own (a slave of the
            // machine's), so this read-only /proc/sys is the agent's alone.
            "sh", "-c", "mount --bind /proc/sys /proc/sys && mount -o remount,bind,ro /proc/sys && exec \"$@\"", "confine",
            "setpriv", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all,+net_admin"))
        .start();
    agentPort = Integer.parseInt(agent.awaitLogLine(LISTENING, Duration.ofSeconds(60)).group(1));
    try {
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> readyOf("node01").equals("True"));
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      throw new AssertionError("the confined agent did not report Ready: " + nodeNetwork("node01").map(nn -> nn.getStatus())
          .map(s -> s.getConditions().toString()).orElse("no NodeNetwork") + "\n" + String.join("\n", agent.logTail(40))
          + "\n--- controller ---\n" + String.join("\n", controller.logTail(20)), e);
    }
  }

  @AfterAll
  static void stop() {
    for (OperatorProcess process : new OperatorProcess[] {agent, controller}) {
      if (process != null) {
        process.close();
      }
    }
    if (relay != null) {
      relay.close();
    }
    if (plane != null) {
      plane.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void programsItsNodeWithNetAdminAsItsOnlyCapability() throws Exception {
    assertThat(capabilities(agent.pid(), "CapEff")).isEqualTo(CAP_NET_ADMIN_ONLY);
    assertThat(capabilities(agent.pid(), "CapBnd")).isEqualTo(CAP_NET_ADMIN_ONLY);
    assertThat(Files.readAllLines(Path.of("/proc", Long.toString(agent.pid()), "mountinfo")))
        .as("/proc/sys is read-only for the agent").anyMatch(line -> line.matches("\\S+ \\S+ \\S+ \\S+ /proc/sys ro[, ].*"));

    String peerSubnet = nodeNetwork("node02").orElseThrow().getSpec().getPodCIDR();
    assertThat(lab.ip("node01", "route", "show", "proto", "202")).contains(peerSubnet + " via 192.168.1.12 dev eth0");
    assertThat(lab.ip("node01", "-o", "-4", "addr", "show", "dev", "cni0")).contains(nodeNetwork("node01").orElseThrow().getSpec().getGateway());
    assertThat(cniConfDir.resolve("10-plainroute.conflist")).exists();
    NodeNetwork own = nodeNetwork("node01").orElseThrow();
    assertThat(own.getStatus().getRoutes()).isEqualTo(1);
    assertThat(own.getStatus().getConditions()).filteredOn(c -> c.getType().equals("MasqueradeReady")).map(Condition::getStatus).containsExactly("True");
    assertThat(String.join("\n", agent.logTail(200))).doesNotContainIgnoringCase("forbidden");
    assertThat(String.join("\n", controller.logTail(200))).doesNotContainIgnoringCase("forbidden");
  }

  @Test
  void answersTheDaemonSetsProbes() throws Exception {
    Container container = Manifests.one(Manifests.objects(plane, "config/agent"), DaemonSet.class, "plainroute-agent")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    for (String path : probePaths(container)) {
      // The agent listens in node01's namespace, as a hostNetwork pod listens on its node.
      assertThat(lab.exec("node01", "curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1:" + agentPort + path))
          .as("agent %s", path).isEqualTo("200");
    }
  }

  @Test
  void controllerAnswersTheDeploymentsProbes() throws Exception {
    Container container = Manifests.one(Manifests.objects(plane, "config/controller"), Deployment.class, "plainroute-controller")
        .getSpec().getTemplate().getSpec().getContainers().get(0);
    HttpClient http = HttpClient.newHttpClient();
    for (String path : probePaths(container)) {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controllerPort + path)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("controller %s: %s", path, response.body()).isEqualTo(200);
    }
  }

  /**
   * The Deployment's second replica waits for the Lease; it must still be live and ready, or a
   * rolling update (which waits for new pods to be ready) would never finish.
   */
  @Test
  void aStandbyControllerAnswersTheProbesToo() throws Exception {
    String leader = leaseHolder();
    assertThat(leader).isNotBlank();
    try (OperatorProcess standby = OperatorProcess.builder(plane).name("controller-standby").role("controller")
        .env("KUBECONFIG", Identities.kubeconfig(plane, "controller-standby", Identities.token(plane, "plainroute-controller")).toString())
        .systemProperty("plainroute.leader-election.namespace", Manifests.NAMESPACE)
        .start()) {
      int port = Integer.parseInt(standby.awaitLogLine(LISTENING, Duration.ofSeconds(60)).group(1));
      Container container = Manifests.one(Manifests.objects(plane, "config/controller"), Deployment.class, "plainroute-controller")
          .getSpec().getTemplate().getSpec().getContainers().get(0);
      HttpClient http = HttpClient.newHttpClient();
      for (String path : probePaths(container)) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
          HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
              HttpResponse.BodyHandlers.ofString());
          assertThat(response.statusCode()).as("standby controller %s: %s", path, response.body()).isEqualTo(200);
        });
      }
      assertThat(leaseHolder()).as("the first replica still leads: the other answered as a standby").isEqualTo(leader);
    }
  }

  /**
   * What a user sees on a node with forwarding off: the agent cannot turn it on through the
   * read-only /proc/sys and says so in RoutesReady; once the node's setting is back, it is Ready.
   */
  /**
   * Issue 10, case 8: an exception that stops the agent's pass is a condition a person can act on,
   * not only a log line and a retry. Here the real one of a cluster whose RBAC is of another
   * version: the agent may no longer write its Node's NetworkUnavailable, which it must when the
   * node's forwarding goes off. Ready says Forbidden and what to apply, RoutesReady keeps what the
   * kernel showed; once the RBAC is applied again, the retried pass clears it.
   */
  @Test
  @Order(Integer.MAX_VALUE - 1)
  void aWriteTheApiServerRefusesIsReportedOnTheNodeNetworkUntilItIsAllowed() {
    var role = plane.client().rbac().clusterRoles().withName("plainroute-agent").get();
    role.getRules().removeIf(rule -> rule.getResources().contains("nodes/status"));
    plane.client().resource(role).update();
    String agentUser = "system:serviceaccount:" + Manifests.NAMESPACE + ":plainroute-agent";
    await().atMost(Duration.ofSeconds(30)).until(() -> plane.kubectl("auth", "can-i", "patch", "nodes/status", "--as", agentUser)
        .stdout().strip().equals("no"));
    lab.exec("node01", "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
    try {
      try {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(condition("node01", "Ready")).hasValueSatisfying(c -> {
          assertThat(c.getStatus()).isEqualTo("False");
          assertThat(c.getReason()).isEqualTo("Forbidden");
          assertThat(c.getMessage()).contains("nodes/status").contains("kubectl apply -k config/rbac");
        }));
        assertThat(condition("node01", "RoutesReady").orElseThrow().getReason()).isEqualTo("ForwardingDisabled");
      } finally {
        plane.kubectl("apply", "-k", "config/rbac").orThrow();
      }
      await().atMost(Duration.ofSeconds(45)).untilAsserted(() -> assertThat(condition("node01", "Ready")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getReason()).isEqualTo("ForwardingDisabled");
      }));
      await().atMost(Duration.ofSeconds(30)).until(() -> "True".equals(networkUnavailable("node01")));
    } finally {
      lab.exec("node01", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> readyOf("node01").equals("True"));
    await().atMost(Duration.ofSeconds(30)).until(() -> "False".equals(networkUnavailable("node01")));
  }

  private static String networkUnavailable(String node) {
    var status = plane.client().nodes().withName(node).get().getStatus();
    return status == null ? "" : status.getConditions().stream().filter(c -> "NetworkUnavailable".equals(c.getType()))
        .map(c -> c.getStatus()).findFirst().orElse("");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void saysSoWhenTheNodeHasForwardingOffBecauseItCannotTurnItOn() {
    String peerSubnet = nodeNetwork("node02").orElseThrow().getSpec().getPodCIDR();
    lab.exec("node01", "sysctl", "-q", "-w", "net.ipv4.ip_forward=0");
    try {
      lab.ip("node01", "route", "del", peerSubnet);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(condition("node01", "RoutesReady")).hasValueSatisfying(c -> {
        assertThat(c.getStatus()).isEqualTo("False");
        assertThat(c.getMessage()).contains("/proc/sys/net/ipv4/ip_forward").contains("Read-only file system");
      }));
      assertThat(lab.exec("node01", "cat", "/proc/sys/net/ipv4/ip_forward").strip()).isEqualTo("0");
    } finally {
      lab.exec("node01", "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    }
    lab.ip("node01", "link", "set", "cni0", "down");
    await().atMost(Duration.ofSeconds(30)).until(() -> readyOf("node01").equals("True"));
    assertThat(lab.ip("node01", "route", "show", "proto", "202")).contains(peerSubnet + " via 192.168.1.12");
  }

  private static Optional<Condition> condition(String node, String type) {
    return nodeNetwork(node).map(NodeNetwork::getStatus).flatMap(s -> s.getConditions().stream()
        .filter(c -> c.getType().equals(type)).findFirst());
  }

  private static String leaseHolder() {
    return plane.client().leases().inNamespace(Manifests.NAMESPACE).withName("plainroute-controller").get().getSpec().getHolderIdentity();
  }

  private static List<String> probePaths(Container container) {
    List<String> paths = java.util.stream.Stream.of(container.getStartupProbe(), container.getLivenessProbe(), container.getReadinessProbe())
        .map(probe -> probe.getHttpGet().getPath()).toList();
    assertThat(paths).containsExactly("/q/health/started", "/q/health/live", "/q/health/ready");
    return paths;
  }

  private static long capabilities(long pid, String set) throws Exception {
    String line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
        .filter(l -> l.startsWith(set + ":")).findFirst().orElseThrow();
    return Long.parseUnsignedLong(line.substring(set.length() + 1).strip(), 16);
  }

  private static void registerNode(String name) {
    var node = plane.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    node.setStatus(new NodeBuilder().withNewStatus().addNewAddress().withType("InternalIP").withAddress(NODES.get(name)).endAddress()
        .endStatus().build().getStatus());
    plane.client().nodes().resource(node).updateStatus();
  }

  private static Optional<NodeNetwork> nodeNetwork(String name) {
    return Optional.ofNullable(plane.client().resources(NodeNetwork.class).withName(name).get());
  }

  private static String readyOf(String node) {
    return nodeNetwork(node).map(NodeNetwork::getStatus).flatMap(s -> s.getConditions().stream()
        .filter(c -> c.getType().equals("Ready")).findFirst()).map(Condition::getStatus).orElse("");
  }
}
