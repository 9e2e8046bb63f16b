package io.plainroute.controller;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code plainroute_controller_leader}: 1 on the controller replica that holds the Lease, 0 on a
 * standby. Summed over the replicas it is the "no active controller" alert's input: 0 means nobody
 * allocates subnets. The leader never goes back to 0: a replica that loses the Lease exits.
 */
@ApplicationScoped
public class LeadershipMetric {
  private final MeterRegistry registry;
  private final AtomicInteger leading = new AtomicInteger();

  public LeadershipMetric(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Registers the gauge at 0: only controller replicas have it, so an agent never counts as one. */
  void waitingForLease() {
    Gauge.builder("plainroute_controller_leader", leading, AtomicInteger::get)
        .description("1 if this controller replica holds the Lease (the active one), 0 if it waits").register(registry);
  }

  void startedLeading() {
    leading.set(1);
  }
}
