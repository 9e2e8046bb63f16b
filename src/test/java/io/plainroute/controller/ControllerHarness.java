package io.plainroute.controller;

import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/** Starts the packaged controller against a test control plane, the way a Deployment runs it. */
final class ControllerHarness {
  private static final Pattern LISTENING = Pattern.compile("Listening on: http://");
  private static final Pattern ALLOCATED = Pattern.compile("allocated \\S+ to node ");

  private ControllerHarness() {}

  static Path crds() {
    return Path.of(System.getProperty("plainroute.crds", "crds"));
  }

  /** A controller replica; replicas with the same lease name elect one leader among them. */
  static Controller start(ControlPlane plane, String name, String leaseName) {
    return start(plane, name, leaseName, Map.of());
  }

  /** Short leases, so that a replica killed with SIGKILL is replaced within seconds in tests. */
  static final Map<String, String> QUICK_LEASE = Map.of(
      "plainroute.leader-election.lease-duration", "4s",
      "plainroute.leader-election.renew-deadline", "3s",
      "plainroute.leader-election.retry-period", "500ms");

  static Controller start(ControlPlane plane, String name, String leaseName, Map<String, String> properties) {
    return start(plane, name, leaseName, properties, Map.of());
  }

  static Controller start(ControlPlane plane, String name, String leaseName, Map<String, String> properties, Map<String, String> env) {
    OperatorProcess.Builder builder = OperatorProcess.builder(plane).name(name).role("controller")
        .systemProperty("plainroute.leader-election.namespace", "default")
        .systemProperty("plainroute.leader-election.lease-name", leaseName);
    properties.forEach(builder::systemProperty);
    env.forEach(builder::env);
    OperatorProcess process = builder.start();
    process.awaitLogLine(LISTENING, Duration.ofSeconds(60));
    return new Controller(process);
  }

  /** A running controller process. */
  record Controller(OperatorProcess process) implements AutoCloseable {
    /** What Prometheus would scrape. */
    String metrics() {
      return process.get("/q/metrics").body();
    }

    /** How many subnets this replica handed out, from its log. */
    long allocations() throws java.io.IOException {
      try (var lines = java.nio.file.Files.lines(process.log())) {
        return lines.filter(l -> ALLOCATED.matcher(l).find()).count();
      }
    }

    String logTail() {
      return String.join("\n", process.logTail(60));
    }

    @Override
    public void close() {
      process.close();
    }
  }
}
