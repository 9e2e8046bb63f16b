package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.Condition;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Faults in the lab (issue 13): the API server stopped while pods talk, etcd restarted, the
 * controller and agents SIGKILLed over and over while nodes join and leave, a node rebooted, the
 * CNI config directory read-only. One lab of three nodes with a pod each serves every case; each
 * case leaves it converged (checked after each), and in every node's namespace things plainroute
 * does not own ({@link ForeignState}) that must survive every fault. docs/faults.md has the cases
 * and their outcomes; the figures (packets lost, catch-up times) go to the test output.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabFaultsE2E {
  /** How long the API server stays down (issue 13 says a minute; see outageOutlivesTheLease). */
  private static final Duration OUTAGE = Duration.ofSeconds(Integer.getInteger("plainroute.faults.outage.seconds", 30));
  /** Includes the lab's restart backoff for killed components (up to 30 s, as a kubelet's). */
  private static final Duration RECOVER = Duration.ofMinutes(3);
  private static final String CNI_CONFIG = "10-plainroute.conflist";
  private static final Pattern RUNNING = Pattern.compile("running \\(pid (\\d+)\\), supervised");

  private Lab lab;
  private PodCluster cluster;
  /** The nodes that carry foreign state now (a rebooted node gets it again). */
  private final Set<String> foreign = new LinkedHashSet<>();

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    lab = Lab.up(Lab.Topology.lectures());
    cluster = new PodCluster(lab, List.of("p1"), RECOVER);
    for (String node : PodCluster.nodeNames(3)) {
      cluster.startPods(node);
    }
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @BeforeEach
  void placeForeignState() {
    for (String node : cluster.nodes()) {
      ForeignState.place(lab, node);
      foreign.add(node);
    }
  }

  /** The invariants, and nothing of others touched. */
  @AfterEach
  void invariantsHold() throws Exception {
    // A case that failed half-way may have left the control plane down: the next one starts whole.
    lab.lab("cp", "start", "etcd");
    lab.lab("cp", "start", "apiserver");
    awaitInvariants();
    for (String node : foreign) {
      ForeignState.assertIntact(lab, node);
    }
    cluster.assertFullMesh();
  }

  /**
   * The API server down for {@link #OUTAGE} (30 s rather than the minute: long enough for
   * the controller to lose its lease — renew deadline 10 s, lease 15 s — and exit, and for the
   * agents' watches to fail and back off; the test also waits for both). Meanwhile pods on
   * different nodes talk, a peer route deleted by hand is put back, and a failure found on a node
   * is in its status once the API server is back.
   */
  @Test
  @Order(1)
  void apiServerOutageLosesNoPacketAndStillRepairs() throws Exception {
    String node03Cidr = cluster.podCidr("node03");
    long controllerLogBefore = Files.size(lab.logs().resolve("controller.log"));
    try (PingFlow flow = PingFlow.start(lab.namespace("node01-p1"), cluster.pod("node02", "p1"))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> lab.ping("node01-p1", cluster.pod("node02", "p1"), 1));
      lab.lab("cp", "stop", "apiserver");
      await().atMost(Duration.ofSeconds(30)).until(() -> !apiAnswers());
      Instant down = Instant.now();

      // Drift repaired from the kernel's notification alone.
      Instant deleted = Instant.now();
      lab.exec("node01", "ip", "route", "del", node03Cidr, "proto", "202");
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> lab.exec("node01", "ip", "-4", "route", "show", "proto", "202").contains(node03Cidr + " via"));
      Duration repairedAfter = Duration.between(deleted, Instant.now());
      assertThat(apiAnswers()).as("the API server answers while the repair is checked").isFalse();

      // A failure on node03 while nobody can write status: its CNI directory read-only, its config gone.
      lab.lab("cni-dir", "node03", "ro");
      Files.delete(cniConfig("node03"));

      Duration rest = OUTAGE.minus(Duration.between(down, Instant.now()));
      await().atMost(OUTAGE.plusMinutes(2)).pollDelay(rest.isNegative() ? Duration.ZERO : rest)
          .until(() -> Files.readString(lab.logs().resolve("controller.log")).substring((int) controllerLogBefore)
              .contains("lost the controller lease"));
      Duration outage = Duration.between(down, Instant.now());
      lab.lab("cp", "start", "apiserver");
      Instant back = Instant.now();

      await().atMost(RECOVER).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
          .until(() -> condition("node03", "CNIConfigReady").filter(c -> "WriteFailed".equals(c.getReason())).isPresent());
      Duration caughtUp = Duration.between(back, Instant.now());
      awaitReady("node01", "node02");
      Duration othersReady = Duration.between(back, Instant.now());

      // Writable again, and touched so that the agent's file watch starts a pass at once rather
      // than at the one-minute resync (that wait is readOnlyCniDirectoryIsReportedAndRecovered's).
      Instant writable = Instant.now();
      lab.lab("cni-dir", "node03", "rw");
      Files.writeString(cniConfig("node03"), "");
      awaitReady("node03");
      Duration recovered = Duration.between(writable, Instant.now());

      PingFlow.Count count = flow.stop();
      System.out.printf("[faults] API server down %d s: %d pings node01-p1 -> node02-p1, %d lost; peer route deleted by hand"
          + " during the outage back within %d ms; node03's failure in its status %d ms after the API server was back (the others Ready"
          + " after %d ms, node03 Ready again %d ms after its directory was writable)%n", outage.toSeconds(), count.sent(), count.lost(),
          repairedAfter.toMillis(), caughtUp.toMillis(), othersReady.toMillis(), recovered.toMillis());
      assertThat(count.sent()).as("pings answered across the outage").isGreaterThan((int) (outage.toSeconds() * 4));
      assertThat(count.lost()).as("pings lost").isZero();
    }
  }

  /** etcd stopped and started again (its data kept): a node that joins afterwards gets a subnet and is Ready. */
  @Test
  @Order(2)
  void etcdRestartedThenAllocationAndStatusWork() {
    lab.lab("cp", "stop", "etcd");
    await().atMost(Duration.ofSeconds(30)).until(() -> !apiAnswers());
    lab.lab("cp", "start", "etcd");
    Instant back = Instant.now();
    lab.lab("node", "add", "node04");
    String cidr = cluster.podCidr("node04");
    awaitReady("node04");
    System.out.printf("[faults] etcd restarted: node04 got %s and was Ready %d ms after etcd was back%n", cidr,
        Duration.between(back, Instant.now()).toMillis());
    lab.lab("node", "delete", "node04");
  }

  /**
   * Nodes join and leave while the controller and every agent are SIGKILLed in a crash loop: each
   * round kills them all and waits for the lab's supervisor to start the controller again (backoff
   * 1, 2, 4, 8, 16 s, as a kubelet's), five rounds.
   */
  @Test
  @Order(3)
  void killsDuringChurnLeaveTheInvariants() throws Exception {
    AtomicInteger kills = new AtomicInteger();
    CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
      for (int round = 0; round < 5; round++) {
        long controller = supervisedPid("controller").orElse(-1L);
        lab.lab("kill", "controller");
        kills.incrementAndGet();
        for (String node : liveNodes()) {
          if (supervisedPid("agent-" + node).isPresent() && lab.tryLab("kill", "agent", node).ok()) {
            kills.incrementAndGet();
          }
        }
        await().atMost(RECOVER).pollInterval(Duration.ofMillis(200))
            .until(() -> supervisedPid("controller").filter(p -> p != controller).isPresent());
      }
    });
    Deque<String> joined = new ArrayDeque<>();
    int next = 4;
    int steps = 0;
    while (!killer.isDone() || steps < 6) {
      if (joined.size() < 2) {
        String node = String.format("node%02d", next++);
        lab.lab("node", "add", node);
        joined.add(node);
      } else {
        lab.lab("node", "delete", joined.poll());
      }
      steps++;
    }
    killer.get(RECOVER.toMinutes(), TimeUnit.MINUTES);
    Instant settled = Instant.now();
    awaitInvariants();
    System.out.printf("[faults] %d SIGKILLs (controller and agents, 5 rounds) during %d joins/leaves; invariants held"
        + " %d ms after the last round%n", kills.get(), steps, Duration.between(settled, Instant.now()).toMillis());
    for (String node : joined) {
      lab.lab("node", "delete", node);
    }
  }

  /**
   * node01 rebooted: its namespace recreated with only its uplink, its pod gone, its agent
   * started again, which rebuilds bridge, routes and masquerade from the API. The peers' routes to
   * node01's subnet never move.
   */
  @Test
  @Order(4)
  void rebootedNodeIsRebuiltAndPeersNeverMove() throws Exception {
    String cidr = cluster.podCidr("node01");
    Map<String, String> before = peerRoutes();
    Set<Map<String, String>> seen = new LinkedHashSet<>();
    AtomicBoolean watching = new AtomicBoolean(true);
    AtomicInteger samples = new AtomicInteger();
    CompletableFuture<Void> watcher = CompletableFuture.runAsync(() -> {
      while (watching.get()) {
        seen.add(peerRoutes());
        samples.incrementAndGet();
      }
    });
    Path agentLog = lab.logs().resolve("agent-node01.log");
    long logBefore = Files.size(agentLog);
    Instant rebooted = Instant.now();
    lab.lab("reboot", "node01");
    foreign.remove("node01");
    cluster.forget("node01");
    ForeignState.place(lab, "node01");
    foreign.add("node01");

    // The agent found the namespace empty: it created the bridge anew (not merely checked it).
    await().atMost(RECOVER).pollInterval(Duration.ofMillis(250))
        .until(() -> Files.readString(agentLog).substring((int) logBefore).contains("created bridge cni0"));
    cluster.awaitRoutesConverged();
    awaitReady("node01");
    await().atMost(RECOVER).until(() -> lab.tryLab("exec", "node01", "nft", "list", "table", "inet", "plainroute").ok());
    Duration rebuilt = Duration.between(rebooted, Instant.now());
    cluster.startPods("node01");
    watching.set(false);
    watcher.get(1, TimeUnit.MINUTES);

    assertThat(cluster.podCidr("node01")).as("node01's subnet after its reboot").isEqualTo(cidr);
    assertThat(seen).as("the peers' plainroute routes, sampled all through the reboot").containsOnly(before);
    System.out.printf("[faults] node01 rebooted: dataplane rebuilt %d ms later; peers' routes sampled %d times, %d"
        + " distinct: never moved%n", rebuilt.toMillis(), samples.get(), seen.size());
  }

  /** node02's CNI directory read-only: CNIConfigReady says so; writable again, it recovers; nothing else moves. */
  @Test
  @Order(5)
  void readOnlyCniDirectoryIsReportedAndRecovered() throws Exception {
    lab.lab("cni-dir", "node02", "ro");
    Files.delete(cniConfig("node02"));
    await().atMost(RECOVER).pollInterval(Duration.ofMillis(250))
        .until(() -> condition("node02", "CNIConfigReady").filter(c -> "False".equals(c.getStatus())
            && "WriteFailed".equals(c.getReason())).isPresent());
    for (String part : List.of("BridgeReady", "RoutesReady", "MasqueradeReady")) {
      assertThat(condition("node02", part)).as("%s of node02", part).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
    }
    awaitReady("node01", "node03");
    cluster.assertFullMesh();

    Instant writable = Instant.now();
    lab.lab("cni-dir", "node02", "rw");
    awaitReady("node02");
    assertThat(cniConfig("node02")).exists();
    System.out.printf("[faults] node02's CNI directory read-only: WriteFailed reported; written again and Ready %d ms"
        + " after it was writable%n", Duration.between(writable, Instant.now()).toMillis());
  }

  // --- checks ------------------------------------------------------------------------------------

  /**
   * Every live node has a NodeNetwork with a distinct subnet and Ready True, one SubnetClaim each
   * (no leaked claims), and exactly the routes to its peers (PodCluster#awaitRoutesConverged).
   */
  private void awaitInvariants() {
    cluster.awaitRoutesConverged();
    await().atMost(RECOVER).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
      Set<String> nodes = Set.copyOf(liveNodes());
      Map<String, String> cidrs = cluster.podCidrs();
      assertThat(cidrs.keySet()).as("NodeNetworks").containsExactlyInAnyOrderElementsOf(nodes);
      assertThat(Set.copyOf(cidrs.values())).as("distinct subnets").hasSameSizeAs(cidrs.values());
      Map<String, String> claims = new HashMap<>();
      for (SubnetClaim claim : lab.client().resources(SubnetClaim.class).list().getItems()) {
        claims.put(claim.getSpec().getCidr(), claim.getSpec().getNodeName());
      }
      assertThat(claims).as("SubnetClaims: one per live node, for its subnet").hasSize(nodes.size());
      cidrs.forEach((node, cidr) -> assertThat(claims).containsEntry(cidr, node));
      for (String node : nodes) {
        assertThat(condition(node, "Ready")).as("Ready of %s", node).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True"));
      }
    });
  }

  private void awaitReady(String... nodes) {
    await().atMost(RECOVER).pollInterval(Duration.ofMillis(250)).until(() -> List.of(nodes).stream()
        .allMatch(n -> condition(n, "Ready").filter(c -> "True".equals(c.getStatus())).isPresent()));
  }

  private Optional<Condition> condition(String node, String type) {
    NodeNetwork nn = lab.client().resources(NodeNetwork.class).withName(node).get();
    if (nn == null || nn.getStatus() == null) {
      return Optional.empty();
    }
    return nn.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  /** The pid `lab.sh status` shows for a supervised component that runs (as LabSupervisionE2E reads it). */
  private Optional<Long> supervisedPid(String name) {
    return lab.lab("status").lines().filter(l -> l.strip().startsWith(name + " ")).findFirst().map(RUNNING::matcher)
        .filter(Matcher::find).map(m -> Long.parseLong(m.group(1)));
  }

  private boolean apiAnswers() {
    return lab.tryLab("kubectl", "get", "--raw", "/readyz", "--request-timeout=5s").ok();
  }

  /** The Node objects. */
  private List<String> liveNodes() {
    return lab.kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").strip().lines()
        .flatMap(l -> List.of(l.split(" ")).stream()).filter(s -> !s.isBlank()).toList();
  }

  /** node02's and node03's plainroute routes. */
  private Map<String, String> peerRoutes() {
    Map<String, String> routes = new HashMap<>();
    for (String peer : List.of("node02", "node03")) {
      routes.put(peer, lab.exec(peer, "ip", "-4", "route", "show", "proto", "202"));
    }
    return routes;
  }

  private Path cniConfig(String node) {
    return lab.state().resolve("nodes").resolve(node).resolve("cni").resolve("net.d").resolve(CNI_CONFIG);
  }
}
