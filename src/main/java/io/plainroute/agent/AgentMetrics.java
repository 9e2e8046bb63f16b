package io.plainroute.agent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent's dataplane for Prometheus, each with a {@code node} label. Gauges, as the last pass
 * left them: {@code plainroute_routes_installed}, {@code plainroute_peers_unreachable} and
 * {@code plainroute_node_ready} (1 when the NodeNetwork's Ready condition is True: the not-Ready
 * alert's input). Counters: {@code plainroute_drift_repairs_total} (things someone else changed
 * that the agent put back) and {@code plainroute_netlink_errors_total} (failed rtnetlink requests).
 * Histogram: {@code plainroute_drift_repair_seconds}, from the kernel's notification of such a
 * change to the kernel's acknowledgement of the repair, for repairs made straight from the
 * notification.
 */
@ApplicationScoped
public class AgentMetrics {
  /** Repairs take well under a millisecond on an idle node; the buckets show when they do not. */
  private static final Duration[] REPAIR_BUCKETS = {Duration.ofMillis(1).dividedBy(10), Duration.ofMillis(1).dividedBy(4),
      Duration.ofMillis(1).dividedBy(2), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(100), Duration.ofSeconds(1)};

  private final MeterRegistry registry;
  private Meters meters;

  public AgentMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  synchronized void record(String node, DataplaneReport report) {
    Meters m = meters(node);
    m.routes.set(report.installedRoutes());
    m.unreachable.set(report.unreachable().size());
    m.repairs.increment(report.driftRepairs());
    m.netlinkErrors.increment(report.netlinkErrors());
  }

  /** What the NodeNetwork's Ready condition says after a pass (the dataplane, and a Conflict). */
  synchronized void ready(String node, boolean ready) {
    meters(node).ready.set(ready ? 1 : 0);
  }

  /** One repair made straight from a kernel notification, {@code nanos} after it was read. */
  synchronized void driftRepaired(String node, long nanos) {
    Meters m = meters(node);
    m.repairs.increment();
    m.repairTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  private Meters meters(String node) {
    if (meters == null) {
      meters = register(Tags.of("node", node));
    }
    return meters;
  }

  private Meters register(Tags tags) {
    Meters m = new Meters(new AtomicInteger(), new AtomicInteger(), new AtomicInteger(),
        Counter.builder("plainroute_drift_repairs").tags(tags)
            .description("Changes made by someone else (a deleted route, a downed bridge, ...) that the agent put back").register(registry),
        Timer.builder("plainroute_drift_repair").tags(tags).serviceLevelObjectives(REPAIR_BUCKETS)
            .description("From the kernel's notification of a change made by someone else to the acknowledgement of its repair")
            .register(registry),
        Counter.builder("plainroute_netlink_errors").tags(tags)
            .description("rtnetlink requests of the agent that the kernel refused or that failed").register(registry));
    Gauge.builder("plainroute_routes_installed", m.routes, AtomicInteger::get).tags(tags)
        .description("Routes to peer nodes' pod subnets installed on this node").register(registry);
    Gauge.builder("plainroute_peers_unreachable", m.unreachable, AtomicInteger::get).tags(tags)
        .description("Peer nodes this node cannot route to (see the NodeNetwork's status.unreachablePeers)").register(registry);
    Gauge.builder("plainroute_node_ready", m.ready, AtomicInteger::get).tags(tags)
        .description("1 when this node's dataplane is as desired (its NodeNetwork's Ready condition is True), else 0").register(registry);
    return m;
  }

  private record Meters(AtomicInteger routes, AtomicInteger unreachable, AtomicInteger ready, Counter repairs, Timer repairTime,
      Counter netlinkErrors) {}
}
