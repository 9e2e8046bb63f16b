package io.plainroute.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.plainroute.testing.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The alert rules as Prometheus itself reads them: {@code promtool check rules} and the
 * {@code promtool test rules} suite next to them (promtool comes with the Debian package
 * {@code prometheus}, which {@code make test} installs). Also: every alert is tested both firing
 * and not firing, says what and which object in its summary and description and links to the
 * troubleshooting guide, and the PrometheusRule of the kustomize component carries exactly the
 * same rules as the plain file.
 */
class AlertRulesTest {

  @Test
  void promtoolAcceptsTheRules() throws Exception {
    assertThat(promtool("check", "rules", AlertRules.RULES.toString())).contains("SUCCESS");
  }

  @Test
  void promtoolUnitTestsOfEveryAlertPass() throws Exception {
    assertThat(promtool("test", "rules", AlertRules.TESTS.toString())).contains("SUCCESS");
  }

  @Test
  void everyAlertIsTestedFiringAndNotFiring() throws IOException {
    Set<String> firing = new HashSet<>();
    Set<String> quiet = new HashSet<>();
    for (JsonNode test : AlertRules.YAML.readTree(AlertRules.TESTS.toFile()).get("tests")) {
      for (JsonNode check : test.path("alert_rule_test")) {
        (check.path("exp_alerts").isEmpty() ? quiet : firing).add(check.get("alertname").asText());
      }
    }
    for (AlertRules.Alert alert : AlertRules.read().alerts()) {
      assertThat(firing).as("alerts with a promtool case where they fire").contains(alert.name());
      assertThat(quiet).as("alerts with a promtool case where they do not fire").contains(alert.name());
    }
  }

  @Test
  void everyAlertSaysWhatWhichObjectAndWhereToReadOn() throws IOException {
    List<AlertRules.Alert> alerts = AlertRules.read().alerts();
    assertThat(alerts).extracting(AlertRules.Alert::name).contains("PlainrouteNodeNetworkNotReady",
        "PlainrouteNodesWaitingForSubnet", "PlainrouteSubnetPoolNearlyExhausted", "PlainroutePeersUnreachable",
        "PlainrouteDriftRepairsHigh", "PlainrouteNetlinkErrors", "PlainrouteNoActiveController",
        "PlainrouteControllerNotReconciling", "PlainrouteAgentDown");
    for (AlertRules.Alert alert : alerts) {
      assertThat(alert.summary()).as("summary of %s", alert.name()).isNotBlank();
      assertThat(alert.description()).as("description of %s", alert.name()).isNotBlank();
      assertThat(alert.runbookUrl()).as("runbook_url of %s", alert.name()).contains("docs/troubleshooting.md#");
      // An alert about a node or a ClusterNetwork names it; the controller alerts name the Deployment.
      if (alert.expr().contains("plainroute-agent")) {
        assertThat(alert.description()).as("description of %s", alert.name()).contains("node {{ $labels.instance }}");
      } else if (alert.expr().contains("plainroute_subnets") || alert.expr().contains("plainroute_nodes_pending")) {
        assertThat(alert.description()).as("description of %s", alert.name()).contains("{{ $labels.clusternetwork }}");
      } else if (alert.expr().contains("plainroute_node_ready") || alert.expr().contains("plainroute_peers")
          || alert.expr().contains("plainroute_drift") || alert.expr().contains("plainroute_netlink")) {
        assertThat(alert.description()).as("description of %s", alert.name()).contains("{{ $labels.node }}");
      } else {
        assertThat(alert.description()).as("description of %s", alert.name()).contains("plainroute-controller");
      }
    }
  }

  @Test
  void thePrometheusRuleCarriesExactlyTheRulesOfThePlainFile() throws IOException {
    JsonNode rule = AlertRules.YAML.readTree(AlertRules.PROMETHEUS_RULE.toFile());
    assertThat(rule.path("kind").asText()).isEqualTo("PrometheusRule");
    assertThat(rule.path("spec").path("groups")).as("spec.groups of %s against the groups of %s (keep them word for word)",
        AlertRules.PROMETHEUS_RULE, AlertRules.RULES).isEqualTo(AlertRules.read().groups());
  }

  private static String promtool(String... args) throws Exception {
    List<String> command = new java.util.ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Command.Result result;
    try {
      result = Command.of(command).mergeErrors().timeout(Duration.ofMinutes(2)).run();
    } catch (UncheckedIOException e) {
      return fail("promtool is missing: install the Debian package prometheus (hack/install-deps.sh, run by make test)", e);
    }
    String output = result.stdout();
    assertThat(result.exitCode()).as("promtool %s:%n%s", String.join(" ", args), output).isZero();
    return output;
  }
}
