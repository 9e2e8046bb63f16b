package io.plainroute.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard shows every metric plainroute registers, and every panel queries the data
 * source the user picks. (That each query returns data from a real Prometheus is MonitoringE2E's.)
 */
class DashboardTest {
  static final Path DASHBOARD = Path.of("config", "monitoring", "grafana", "plainroute.json");

  /** A histogram is queried by its series ({@code _bucket} for quantiles), which counts as showing it. */
  @Test
  void everyMetricThePlainrouteCodeRegistersIsOnTheDashboard() throws IOException {
    String queries = String.join("\n", exprs(new ObjectMapper().readTree(DASHBOARD.toFile())));
    for (String metric : WrittenNames.in(Path.of("src", "main", "java")).meters().keySet()) {
      assertThat(queries).as("queries of %s (metric %s)", DASHBOARD, metric).containsPattern("\\b" + metric + "(_bucket|_count|_sum|_max)?\\b");
    }
  }

  @Test
  void everyPanelQueriesTheChosenPrometheus() throws IOException {
    JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("plainroute");
    assertThat(dashboard.path("templating").path("list").findValuesAsText("name")).contains("datasource");
    for (JsonNode panel : dashboard.path("panels")) {
      if (!"row".equals(panel.path("type").asText())) {
        assertThat(panel.path("datasource").path("uid").asText()).as("data source of panel '%s'", panel.path("title").asText())
            .isEqualTo("${datasource}");
        assertThat(panel.path("targets")).as("queries of panel '%s'", panel.path("title").asText()).isNotEmpty();
      }
    }
  }

  private static List<String> exprs(JsonNode dashboard) {
    List<String> exprs = new ArrayList<>();
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
    return exprs;
  }
}
