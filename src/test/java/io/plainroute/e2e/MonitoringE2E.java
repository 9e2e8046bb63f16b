package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * plainroute's monitoring against a real Prometheus (the Debian package's server) in the lab's
 * control plane, scraping the controller and every agent, with the shipped alert rules (their
 * {@code for:} shortened to seconds by the lab): every dashboard query returns data, every metric
 * is documented, and breaking a node's pod network fires PlainrouteNodeNetworkNotReady for that
 * node, repairing it resolves the alert; an agent that stops fires PlainrouteAgentDown for its node.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MonitoringE2E {
  static final Path DASHBOARD = Path.of("config", "monitoring", "grafana", "plainroute.json");
  static final Path GUIDE = Path.of("docs", "troubleshooting.md");
  static final String NOT_READY = "PlainrouteNodeNetworkNotReady";
  static final String AGENT_DOWN = "PlainrouteAgentDown";
  /** The agent notices a route in its way on its next pass: at the latest its one-minute resync. */
  static final Duration ALERT_DEADLINE = Duration.ofMinutes(4);
  static final Duration POLL = Duration.ofSeconds(1);

  private Lab lab;
  private PrometheusApi prometheus;

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    lab = Lab.up(Lab.Topology.lectures(), "--prometheus");
    prometheus = new PrometheusApi(Integer.parseInt(lab.setting("PROMETHEUS_PORT")));
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void prometheusScrapesTheControllerAndEveryAgent() {
    Set<String> expected = new TreeSet<>();
    expected.add("plainroute-controller " + lab.setting("CP_IP") + ":8080 http://" + lab.setting("CP_IP") + ":8080/q/metrics");
    for (String node : PodCluster.nodeNames(lab.topology().nodes())) {
      String address = lab.exec(node, "ip", "-4", "-o", "addr", "show", "eth0").split("\\s+")[3].split("/")[0];
      // An agent's instance is its node, as the PodMonitor of config/monitoring makes it.
      expected.add("plainroute-agent " + node + " http://" + address + ":8080/q/metrics");
    }
    Set<String> up = poll("every target scraped successfully", () -> {
      Set<String> healthy = prometheus.targets().stream().filter(t -> "up".equals(t.path("health").asText()))
          .map(t -> t.path("labels").path("job").asText() + " " + t.path("labels").path("instance").asText() + " "
              + t.path("scrapeUrl").asText())
          .collect(Collectors.toCollection(TreeSet::new));
      return healthy.equals(expected) ? Optional.of(healthy) : Optional.empty();
    }, () -> "targets: " + prometheus.targets().stream().map(t -> t.path("labels").path("instance").asText() + "="
        + t.path("health").asText() + " " + t.path("lastError").asText()).toList() + ", expected " + expected);
    System.out.println("[monitoring] Prometheus scrapes " + up);
    poll("the lab's controller reported as the leader", () -> prometheus.query("sum(plainroute_controller_leader) == 1").stream()
        .findFirst(), () -> "plainroute_controller_leader: " + prometheus.query("plainroute_controller_leader"));
  }

  @Test
  @Order(2)
  void everyQueryOfTheDashboardReturnsSeries() throws IOException {
    List<String> queries = dashboardQueries();
    assertThat(queries).hasSizeGreaterThanOrEqualTo(10);
    // Rates need two samples in their window: poll until every query has data, or name those without.
    poll("every dashboard query returning series", () -> {
      List<String> empty = queries.stream().filter(q -> prometheus.query(q).isEmpty()).toList();
      return empty.isEmpty() ? Optional.of(true) : Optional.empty();
    }, () -> "queries of " + DASHBOARD + " that return no series (a renamed or missing metric?): "
        + queries.stream().filter(q -> prometheus.query(q).isEmpty()).toList());
    System.out.println("[monitoring] all " + queries.size() + " queries of " + DASHBOARD + " return series");
  }

  @Test
  @Order(3)
  void everyPlainrouteMetricPrometheusScrapesIsInTheGuide() throws IOException {
    String guide = Files.readString(GUIDE);
    List<String> names = prometheus.query("count by (__name__) ({__name__=~\"plainroute_.*\"})").stream()
        .map(s -> s.path("metric").path("__name__").asText()).sorted().toList();
    assertThat(names).contains("plainroute_node_ready", "plainroute_subnets", "plainroute_controller_leader");
    // A histogram is scraped as its series (_bucket, _count, _sum, _max) and documented by its name.
    assertThat(names).allSatisfy(name -> assertThat(guide).as("%s lists metric %s", GUIDE, name)
        .containsAnyOf("`" + name + "`", "`" + name.replaceFirst("_(bucket|count|sum|max)$", "") + "`"));
    System.out.println("[monitoring] scraped and documented: " + names);
  }

  @Test
  @Order(4)
  void breakingANodesPodNetworkFiresNotReadyAndRepairingItResolvesIt() {
    String node = "node01";
    String peer = "node02";
    String subnet = lab.client().resources(NodeNetwork.class).withName(peer).get().getSpec().getPodCIDR();
    assertThat(firing(node)).as("%s before the break", NOT_READY).isEmpty();

    // Someone else's route to the peer's pod subnet takes the place of plainroute's: pods on
    // node01 lose node02's pods, and the agent cannot put its route back (it never removes
    // routes it does not own), so the NodeNetwork turns not Ready with reason RouteFailed.
    Instant broken = Instant.now();
    lab.exec(node, "ip", "route", "replace", "blackhole", subnet);
    JsonNode alert = poll(NOT_READY + " firing for " + node, () -> firing(node), () -> "alerts: " + prometheus.alerts());
    System.out.printf("[monitoring] %s broken (blackhole %s); %s firing after %d s; GET /api/v1/alerts:%n%s%n", node, subnet,
        NOT_READY, Duration.between(broken, Instant.now()).toSeconds(), prometheus.raw("/api/v1/alerts"));
    assertThat(alert.path("labels").path("severity").asText()).isEqualTo("critical");
    assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("NodeNetwork " + node + " is not Ready");
    assertThat(alert.path("annotations").path("description").asText()).contains("kubectl describe nodenetwork " + node);
    assertThat(alert.path("annotations").path("runbook_url").asText()).endsWith("docs/troubleshooting.md#plainroutenodenetworknotready");
    assertThat(lab.kubectl("get", "nodenetwork", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].reason}"))
        .isEqualTo("RouteFailed");
    for (String other : List.of("node02", "node03")) {
      assertThat(prometheus.alerts()).as("alerts while only %s is broken", node)
          .noneMatch(a -> NOT_READY.equals(a.path("labels").path("alertname").asText()) && other.equals(a.path("labels").path("node").asText()));
    }

    Instant repaired = Instant.now();
    lab.exec(node, "ip", "route", "del", "blackhole", subnet);
    poll(NOT_READY + " resolved for " + node, () -> prometheus.alerts().stream()
        .noneMatch(a -> NOT_READY.equals(a.path("labels").path("alertname").asText()) && node.equals(a.path("labels").path("node").asText()))
        ? Optional.of(true) : Optional.empty(), () -> "alerts: " + prometheus.alerts());
    System.out.printf("[monitoring] %s repaired; %s resolved after %d s; GET /api/v1/alerts:%n%s%n"
        + "GET /api/v1/query?query=plainroute_node_ready:%n%s%n", node, NOT_READY, Duration.between(repaired, Instant.now()).toSeconds(),
        prometheus.raw("/api/v1/alerts"), prometheus.raw("/api/v1/query?query=plainroute_node_ready"));
    assertThat(prometheus.query("plainroute_node_ready{node=\"" + node + "\"} == 1")).hasSize(1);
    assertThat(lab.kubectl("get", "nodenetwork", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
        .isEqualTo("True");
  }

  @Test
  @Order(5)
  void anAgentThatStopsFiresAgentDownForItsNodeAndItsRestartResolvesIt() {
    String node = "node03";
    lab.lab("stop", "agent", node); // stop: the lab restarts a killed agent, as a kubelet would
    JsonNode alert = poll(AGENT_DOWN + " firing for " + node, () -> firing(AGENT_DOWN, "instance", node),
        () -> "alerts: " + prometheus.alerts());
    assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("The plainroute agent on node " + node + " is down");
    System.out.printf("[monitoring] agent of %s stopped; %s firing: %s%n", node, AGENT_DOWN, alert);
    lab.lab("start", "agent", node);
    poll(AGENT_DOWN + " resolved for " + node, () -> prometheus.alerts().stream()
        .noneMatch(a -> AGENT_DOWN.equals(a.path("labels").path("alertname").asText()))
        ? Optional.of(true) : Optional.empty(), () -> "alerts: " + prometheus.alerts());
    System.out.printf("[monitoring] agent of %s restarted; %s resolved%n", node, AGENT_DOWN);
  }

  /** The not-Ready alert of {@code node} if it is firing (not merely pending). */
  private Optional<JsonNode> firing(String node) {
    return firing(NOT_READY, "node", node);
  }

  private Optional<JsonNode> firing(String alertname, String label, String value) {
    return prometheus.alerts().stream().filter(a -> alertname.equals(a.path("labels").path("alertname").asText())
        && value.equals(a.path("labels").path(label).asText()) && "firing".equals(a.path("state").asText())).findFirst();
  }

  /** Every expr of the dashboard, its variables set as Grafana would for "All" and a 2 s scrape. */
  static List<String> dashboardQueries() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    List<String> queries = new ArrayList<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        queries.add(substitute(target.path("expr").asText()));
      }
    }
    for (JsonNode variable : dashboard.path("templating").path("list")) {
      if (variable.path("query").has("query")) {
        String labelValues = variable.path("query").path("query").asText();
        // label_values(METRIC, LABEL) is Grafana's; as PromQL: the series of METRIC.
        queries.add(labelValues.replaceFirst("^label_values\\(([^,]+),.*\\)$", "$1"));
      }
    }
    return queries;
  }

  private static String substitute(String expr) {
    Map<String, String> values = Map.of("$__rate_interval", "1m", "$clusternetwork", ".*", "$node", ".*");
    String result = expr;
    for (Map.Entry<String, String> v : values.entrySet()) {
      result = result.replace(v.getKey(), v.getValue());
    }
    assertThat(result).as("dashboard query with a variable the test does not know: %s", expr).doesNotContain("$");
    return result;
  }

  /** Polls {@code check} until it yields a value; on the deadline fails with what was seen. */
  private static <T> T poll(String what, Supplier<Optional<T>> check, Supplier<String> state) {
    try {
      return await().alias(what).atMost(ALERT_DEADLINE).pollInterval(POLL).until(check::get, Optional::isPresent).get();
    } catch (ConditionTimeoutException e) {
      return fail("no " + what + " within " + ALERT_DEADLINE.toSeconds() + " s; " + state.get());
    }
  }
}
