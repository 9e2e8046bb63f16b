package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.plainroute.agent.DataplaneReport.Part;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AgentMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AgentMetrics metrics = new AgentMetrics(registry);

  @Test
  void gaugesShowTheLastPassAndCountersAddUp() {
    metrics.record("node01", report(2, List.of(), 0, 0));
    metrics.record("node01", report(1, List.of(new UnreachablePeer()), 3, 1));
    metrics.record("node01", report(1, List.of(new UnreachablePeer()), 1, 2));

    assertThat(registry.get("plainroute_routes_installed").tag("node", "node01").gauge().value()).isEqualTo(1);
    assertThat(registry.get("plainroute_peers_unreachable").tag("node", "node01").gauge().value()).isEqualTo(1);
    assertThat(registry.get("plainroute_drift_repairs").tag("node", "node01").counter().count()).isEqualTo(4);
    assertThat(registry.get("plainroute_netlink_errors").tag("node", "node01").counter().count()).isEqualTo(3);
  }

  @Test
  void readyFollowsTheNodeNetworksReadyCondition() {
    metrics.ready("node01", true);
    assertThat(registry.get("plainroute_node_ready").tag("node", "node01").gauge().value()).isEqualTo(1);
    metrics.ready("node01", false);
    assertThat(registry.get("plainroute_node_ready").tag("node", "node01").gauge().value()).isEqualTo(0);
  }

  @Test
  void repairsMadeFromTheEventAreCountedAndTimedInAHistogram() {
    metrics.driftRepaired("node01", 300_000);
    metrics.driftRepaired("node01", 3_000_000);

    assertThat(registry.get("plainroute_drift_repairs").tag("node", "node01").counter().count()).isEqualTo(2);
    var timer = registry.get("plainroute_drift_repair").tag("node", "node01").timer();
    assertThat(timer.count()).isEqualTo(2);
    assertThat(timer.takeSnapshot().histogramCounts()).anySatisfy(bucket -> {
      assertThat(bucket.bucket(java.util.concurrent.TimeUnit.MILLISECONDS)).isEqualTo(1.0);
      assertThat(bucket.count()).isEqualTo(1.0);
    });
  }

  private static DataplaneReport report(int routes, List<UnreachablePeer> unreachable, int repairs, int netlinkErrors) {
    Part ok = Part.ok("Ok", "fine");
    return new DataplaneReport(ok, ok, ok, ok, routes, unreachable, Optional.empty(), repairs, netlinkErrors);
  }
}
