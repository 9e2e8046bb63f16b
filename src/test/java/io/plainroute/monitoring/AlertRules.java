package io.plainroute.monitoring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** plainroute's alert rules as shipped: config/monitoring/prometheus/plainroute-rules.yaml. */
record AlertRules(JsonNode groups, List<Alert> alerts) {
  static final Path DIR = Path.of("config", "monitoring", "prometheus");
  static final Path RULES = DIR.resolve("plainroute-rules.yaml");
  static final Path TESTS = DIR.resolve("plainroute-rules.test.yaml");
  static final Path PROMETHEUS_RULE = Path.of("config", "monitoring", "prometheusrule.yaml");
  static final YAMLMapper YAML = new YAMLMapper();

  /** One alerting rule with what a person reads when it fires. */
  record Alert(String name, String expr, String summary, String description, String runbookUrl) {}

  static AlertRules read() throws IOException {
    JsonNode groups = YAML.readTree(RULES.toFile()).get("groups");
    List<Alert> alerts = new ArrayList<>();
    for (JsonNode group : groups) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert")) {
          JsonNode a = rule.path("annotations");
          alerts.add(new Alert(rule.get("alert").asText(), rule.get("expr").asText(), a.path("summary").asText(null),
              a.path("description").asText(null), a.path("runbook_url").asText(null)));
        }
      }
    }
    return new AlertRules(groups, alerts);
  }
}
