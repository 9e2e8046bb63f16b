package io.plainroute.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/troubleshooting.md lists everything plainroute writes that a person meets: each condition
 * type and reason, each Event reason, each metric. The names come from the code itself
 * ({@link WrittenNames} compiles src/main/java and follows every write), so a reason added
 * anywhere later fails here until the guide says what it means and what to do.
 */
class TroubleshootingGuideTest {
  static final Path GUIDE = Path.of("docs", "troubleshooting.md");

  private static WrittenNames.Found found;
  private static Map<String, String> sections;

  @BeforeAll
  static void read() throws IOException {
    found = WrittenNames.in(Path.of("src", "main", "java"));
    sections = sections(Files.readString(GUIDE));
    System.out.printf("[guide] condition types %s%n[guide] condition reasons %s%n[guide] event reasons %s%n[guide] metrics %s%n",
        found.conditionTypes().keySet(), found.conditionReasons().keySet(), found.eventReasons().keySet(), found.meters().keySet());
  }

  @Test
  void theCodeScanFindsWhatIsKnownToBeWritten() {
    // Guards the scan itself: were it to find nothing, every other test here would pass vacuously.
    assertThat(found.conditionTypes()).containsKeys("Ready", "BridgeReady", "RoutesReady", "PoolExhausted", "Conflict");
    assertThat(found.conditionReasons()).containsKeys("DataplaneReady", "RouteFailed", "NoFreeSubnet", "DuplicateMAC",
        "PeerNotOnLink", "ConflictingClusterNetwork");
    assertThat(found.eventReasons()).containsKeys("SubnetReleased", "SubnetPoolExhausted", "PeerUnreachable");
    assertThat(found.meters()).containsKeys("plainroute_subnets", "plainroute_drift_repairs_total", "plainroute_node_ready");
    assertThat(found.conditionReasons()).doesNotContainKeys("SubnetReleased", "PeerUnreachable");
  }

  @Test
  void everyConditionTypeThePlainrouteCodeWritesIsExplained() {
    assertListed(found.conditionTypes(), "Conditions", "condition type");
  }

  @Test
  void everyConditionAndStatusReasonThePlainrouteCodeWritesIsExplained() {
    assertListed(found.conditionReasons(), "Conditions", "condition reason");
  }

  @Test
  void everyEventReasonThePlainrouteCodeWritesIsExplained() {
    assertListed(found.eventReasons(), "Events", "Event reason");
  }

  @Test
  void everyMetricThePlainrouteCodeRegistersIsExplained() {
    assertListed(found.meters(), "Metrics", "metric");
  }

  @Test
  void everyAlertHasASectionItsRunbookLinkPointsTo() throws IOException {
    for (AlertRules.Alert alert : AlertRules.read().alerts()) {
      String anchor = alert.runbookUrl().substring(alert.runbookUrl().indexOf('#') + 1);
      assertThat(alert.runbookUrl()).as("runbook of %s", alert.name())
          .startsWith("https://github.com/plainroute/plainroute/blob/main/" + GUIDE.toString().replace('\\', '/') + "#");
      assertThat(anchors()).as("headings of %s (the runbook link of %s)", GUIDE, alert.name()).contains(anchor);
    }
  }

  private static void assertListed(Map<String, Set<String>> names, String section, String what) {
    String text = sections.get(section);
    assertThat(text).as("section '## %s' of %s", section, GUIDE).isNotNull();
    List<String> missing = names.entrySet().stream().filter(e -> !text.contains("`" + e.getKey() + "`"))
        .map(e -> e.getKey() + " (written at " + String.join(", ", e.getValue()) + ")").toList();
    assertThat(missing).as("%ss the code writes that section '## %s' of %s does not list as `Name`: add each with what it"
        + " means, what kubectl describe shows and what to do", what, section, GUIDE).isEmpty();
  }

  /** GitHub's anchors of the guide's headings: lower case, punctuation dropped, spaces to dashes. */
  static Set<String> anchors() throws IOException {
    return Set.copyOf(Files.readAllLines(GUIDE).stream().filter(l -> l.startsWith("#"))
        .map(l -> l.replaceFirst("^#+\\s*", "").strip().toLowerCase().replaceAll("[^a-z0-9 _-]", "").replace(' ', '-'))
        .toList());
  }

  /** The text under each "## " heading, by heading. */
  private static Map<String, String> sections(String guide) {
    Map<String, String> bySection = new LinkedHashMap<>();
    String current = "";
    StringBuilder text = new StringBuilder();
    for (String line : guide.split("\n", -1)) {
      if (line.startsWith("## ")) {
        bySection.put(current, text.toString());
        current = line.substring(3).strip();
        text.setLength(0);
      } else {
        text.append(line).append('\n');
      }
    }
    bySection.put(current, text.toString());
    return bySection;
  }
}
