package io.plainroute.controller;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.plainroute.OwnNamespace;
import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import io.plainroute.install.AgentDaemonSet;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import java.util.Optional;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Only one controller replica allocates at a time; the others wait on the Lease. Losing the lease
 * stops the process (the Deployment restarts it), so a demoted replica cannot keep writing — and
 * should one write anyway in the moment it loses the lease, the claims keep allocation safe. Agents
 * are not elected (every node's agent works): for them there is no configuration, which
 * quarkus-operator-sdk reads as "no leader election".
 */
@ApplicationScoped
public class LeaderElection {

  private static final Logger LOG = Logger.getLogger(LeaderElection.class);

  @Produces
  @Dependent
  LeaderElectionConfiguration leaderElection(PlainrouteConfig config, AgentDaemonSet agentDaemonSet, LeadershipMetric leadership) {
    if (!Roles.CONTROLLER.equals(config.role())) {
      return null;
    }
    leadership.waitingForLease();
    PlainrouteConfig.LeaderElection le = config.leaderElection();
    String namespace = OwnNamespace.resolve(le.namespace(), "plainroute.leader-election.namespace");
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(le.leaseName())
        .withLeaseNamespace(namespace)
        .withIdentity(le.identity().orElseGet(LeaderElection::uniqueIdentity))
        .withLeaseDuration(le.leaseDuration())
        .withRenewDeadline(le.renewDeadline())
        .withRetryPeriod(le.retryPeriod())
        // java-operator-sdk's own exit-on-stop calls System.exit from the thread that stops the
        // operator, which during a SIGTERM is inside the shutdown sequence: the JVM deadlocks and
        // only SIGKILL ends it. We exit on a lost lease ourselves, asynchronously, and not when
        // the lease ends because the process is stopping anyway.
        .withExitOnStopLeading(false)
        // Only the leader installs the agent: during an upgrade the old replica would put its image back.
        .withLeaderCallbacks(new LeaderCallbacks(() -> {
          leadership.startedLeading();
          agentDaemonSet.startManaging();
        }, LeaderElection::leaseLost, leader -> { }))
        .build();
  }

  private static void leaseLost() {
    if (ApplicationLifecycleManager.isVmShuttingDown()) {
      return;
    }
    LOG.warn("lost the controller lease: exiting, so that a demoted replica cannot keep allocating");
    Quarkus.asyncExit(1);
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
