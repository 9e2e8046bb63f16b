package io.plainroute.controller;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pool usage per ClusterNetwork for Prometheus: {@code plainroute_subnets{clusternetwork,state}}
 * with state capacity, allocated, free; {@code plainroute_nodes_pending} (nodes waiting because the
 * pool is exhausted, an alert-worthy non-zero); {@code plainroute_allocation_failures_total}.
 */
@ApplicationScoped
public class PoolMetrics {
  private final MeterRegistry registry;
  private final Map<String, Values> byClusterNetwork = new ConcurrentHashMap<>();

  public PoolMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  void record(String clusterNetwork, AllocationOutcome outcome) {
    Values values = byClusterNetwork.computeIfAbsent(clusterNetwork, this::register);
    values.capacity.set(outcome.capacity());
    values.allocated.set(outcome.allocated());
    values.free.set(outcome.free());
    values.pending.set(outcome.pendingNodes().size());
    values.failures.increment(outcome.failures().size());
  }

  private Values register(String clusterNetwork) {
    Tags tags = Tags.of("clusternetwork", clusterNetwork);
    Values values = new Values(new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong(),
        Counter.builder("plainroute_allocation_failures").tags(tags).description("API errors met while allocating subnets").register(registry));
    gauge("plainroute_subnets", tags.and("state", "capacity"), values.capacity, "Node subnets the cluster ranges hold");
    gauge("plainroute_subnets", tags.and("state", "allocated"), values.allocated, "Node subnets held by NodeNetworks");
    gauge("plainroute_subnets", tags.and("state", "free"), values.free, "Node subnets free to allocate");
    gauge("plainroute_nodes_pending", tags, values.pending, "Nodes waiting for a subnet because the pool is exhausted");
    return values;
  }

  private void gauge(String name, Tags tags, AtomicLong value, String description) {
    Gauge.builder(name, value, AtomicLong::get).tags(tags).description(description).register(registry);
  }

  private record Values(AtomicLong capacity, AtomicLong allocated, AtomicLong free, AtomicLong pending, Counter failures) {}
}
