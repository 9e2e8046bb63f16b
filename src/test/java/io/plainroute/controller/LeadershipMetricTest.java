package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class LeadershipMetricTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LeadershipMetric metric = new LeadershipMetric(registry);

  @Test
  void aStandbyShowsZeroAndTheLeaderOne() {
    assertThat(registry.find("plainroute_controller_leader").gauge()).as("before the controller role asks for the Lease").isNull();
    metric.waitingForLease();
    assertThat(registry.get("plainroute_controller_leader").gauge().value()).isEqualTo(0);
    metric.startedLeading();
    assertThat(registry.get("plainroute_controller_leader").gauge().value()).isEqualTo(1);
  }
}
