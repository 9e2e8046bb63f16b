package io.plainroute.controller;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;

/**
 * Only one controller replica allocates at a time; the others wait on the Lease. Losing the lease
 * stops the process (the Deployment restarts it), so a demoted replica cannot keep writing — and
 * should one write anyway in the moment it loses the lease, the claims keep allocation safe. Agents
 * are not elected (every node's agent works): for them there is no configuration, which
 * quarkus-operator-sdk reads as "no leader election".
 */
@ApplicationScoped
public class LeaderElection {

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(PlainrouteConfig config) {
    if (!Roles.CONTROLLER.equals(config.role())) {
      return null;
    }
    PlainrouteConfig.LeaderElection le = config.leaderElection();
    String namespace = le.namespace()
        .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
        .or(() -> Optional.ofNullable(System.getenv("KUBERNETES_NAMESPACE")))
        .orElseThrow(() -> new IllegalStateException(
            "plainroute.leader-election.namespace is not set and POD_NAMESPACE is empty: set either to the namespace the controller runs in"));
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
        .withLeaseNamespace(namespace)
        .withIdentity(le.identity().orElseGet(LeaderElection::uniqueIdentity))
        .withLeaseDuration(le.leaseDuration())
        .withRenewDeadline(le.renewDeadline())
        .withRetryPeriod(le.retryPeriod())
        .withExitOnStopLeading(true)
        .build();
  }

  /**
   * The pod name is unique among replicas of a Deployment, but two replicas started on one host
   * outside Kubernetes share a hostname: the suffix keeps them apart.
   */
  private static String uniqueIdentity() {
    String host = Optional.ofNullable(System.getenv("POD_NAME")).or(() -> Optional.ofNullable(System.getenv("HOSTNAME"))).orElse("plainroute");
    return host + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
