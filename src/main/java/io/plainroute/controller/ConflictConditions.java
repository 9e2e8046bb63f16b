package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.status.ConditionList;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes the controller's one condition on NodeNetworks, {@code Conflict}, next to the agent's
 * conditions in the same status. Each write carries the resourceVersion it was computed from, so
 * it cannot undo an agent's concurrent write; a write that meets one waits for the next pass.
 */
final class ConflictConditions {
  private static final Logger LOG = Logger.getLogger(ConflictConditions.class);

  private final KubernetesClient client;
  private final Clock clock;

  ConflictConditions(KubernetesClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
  }

  /** @return how many writes met a concurrent change and must be retried */
  int update(List<NodeNetwork> nodeNetworks) {
    Map<String, NodeConflicts.Conflict> found = NodeConflicts.find(nodeNetworks);
    int retry = 0;
    for (NodeNetwork nn : nodeNetworks) {
      Optional<NodeConflicts.Conflict> conflict = Optional.ofNullable(found.get(nn.getMetadata().getName()));
      List<Condition> previous = nn.getStatus() == null ? List.of() : nn.getStatus().getConditions();
      Optional<Condition> current = previous.stream().filter(c -> Conditions.CONFLICT.equals(c.getType())).findFirst();
      if (current.isEmpty() && conflict.isEmpty() || current.isPresent() && matches(current.get(), conflict)) {
        continue;
      }
      ConditionList own = new ConditionList(clock, previous, nn.getMetadata().getGeneration());
      conflict.ifPresentOrElse(
          c -> own.set(Conditions.CONFLICT, true, c.reason(), c.message()),
          () -> own.set(Conditions.CONFLICT, false, "NoConflict", "No other node shares this node's IP or uplink MAC."));
      List<Condition> next = new ArrayList<>(previous.stream().filter(c -> !Conditions.CONFLICT.equals(c.getType())).toList());
      next.addAll(own.build());
      NodeNetworkStatus status = nn.getStatus() == null ? new NodeNetworkStatus() : nn.getStatus();
      status.setConditions(next);
      nn.setStatus(status);
      try {
        client.resource(nn).updateStatus();
        conflict.ifPresent(c -> LOG.warnf("node %s: %s", nn.getMetadata().getName(), c.message()));
      } catch (KubernetesClientException e) {
        retry++;
        LOG.debugf("Conflict condition of %s not written (%s); retrying", nn.getMetadata().getName(), e.getMessage());
      }
    }
    return retry;
  }

  private static boolean matches(Condition current, Optional<NodeConflicts.Conflict> conflict) {
    return conflict.map(c -> "True".equals(current.getStatus()) && c.reason().equals(current.getReason())
            && Objects.equals(c.message(), current.getMessage()))
        .orElse("False".equals(current.getStatus()));
  }
}
