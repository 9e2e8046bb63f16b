package io.plainroute.controller;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.plainroute.OwnNamespace;
import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import io.plainroute.install.AgentDaemonSet;
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
  LeaderElectionConfiguration leaderElection(PlainrouteConfig config, AgentDaemonSet agentDaemonSet) {
    if (!Roles.CONTROLLER.equals(config.role())) {
      return null;
    }
    PlainrouteConfig.LeaderElection le = config.leaderElection();
    String namespace = OwnNamespace.resolve(le.namespace(), "plainroute.leader-election.namespace");
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
        .withLeaseNamespace(namespace)
        .withIdentity(le.identity().orElseGet(LeaderElection::uniqueIdentity))
        .withLeaseDuration(le.leaseDuration())
        .withRenewDeadline(le.renewDeadline())
        .withRetryPeriod(le.retryPeriod())
        .withExitOnStopLeading(true)
        // Only the leader installs the agent: during an upgrade the old replica would put its image back.
        .withLeaderCallbacks(new LeaderCallbacks(agentDaemonSet::startManaging, () -> {}, leader -> {}))
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
