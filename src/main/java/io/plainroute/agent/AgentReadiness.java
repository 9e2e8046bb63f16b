package io.plainroute.agent;

import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * An agent is ready once it has programmed its node: the first pass over the kernel finished
 * (bridge, routes, CNI config written), so the runtime can attach pods. A node still waiting for
 * its subnet is not ready, which is true: pods cannot start there yet. Other roles are not judged
 * here.
 */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {
  static final String NAME = "plainroute dataplane";

  private final boolean agent;
  private volatile boolean programmed;

  public AgentReadiness(PlainrouteConfig config) {
    this.agent = Roles.AGENT.equals(config.role());
  }

  void passCompleted() {
    programmed = true;
  }

  @Override
  public HealthCheckResponse call() {
    if (!agent) {
      return HealthCheckResponse.up(NAME);
    }
    return HealthCheckResponse.named(NAME).status(programmed)
        .withData("dataplane", programmed ? "programmed" : "waiting for the first pass (is there a NodeNetwork for this node?)").build();
  }
}
