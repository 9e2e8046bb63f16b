package io.plainroute;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** plainroute's settings (application.properties, or env such as PLAINROUTE_ROLE). */
@ConfigMapping(prefix = "plainroute")
public interface PlainrouteConfig {

  /** {@code controller} or {@code agent}: which reconcilers this process runs. */
  String role();

  LeaderElection leaderElection();

  interface LeaderElection {
    /** Name of the Lease that replicas of the controller compete for. */
    @WithDefault("plainroute-controller")
    String leaseName();

    /** This replica's name in the Lease; defaults to the pod name (or hostname) plus a random suffix. */
    Optional<String> identity();

    /** Namespace of the Lease; defaults to the pod's own (POD_NAMESPACE or KUBERNETES_NAMESPACE from the downward API). */
    Optional<String> namespace();

    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }
}
