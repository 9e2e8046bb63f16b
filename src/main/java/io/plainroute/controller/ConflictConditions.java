package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.status.ConditionList;
import io.plainroute.status.EventRecorder;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Writes the controller's one condition on NodeNetworks, {@code Conflict}, next to the agent's
 * conditions in the same status. A node in conflict is not Ready (peers route its pods to the
 * wrong machine, or the LAN delivers its frames to a clone), so the same write turns {@code Ready}
 * False; the agent keeps it False while the conflict lasts and judges it again once it is gone.
 * Each write carries the resourceVersion it was computed from, so it cannot undo an agent's
 * concurrent write; a write that meets one waits for the next pass. An Event marks each start and
 * end of a conflict.
 */
final class ConflictConditions {
  private static final Logger LOG = Logger.getLogger(ConflictConditions.class);

  static final String RESOLVED = "ConflictResolved";

  private final KubernetesClient client;
  private final Clock clock;
  private final EventRecorder events;

  ConflictConditions(KubernetesClient client, Clock clock, EventRecorder events) {
    this.client = client;
    this.clock = clock;
    this.events = events;
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
      boolean wasInConflict = current.filter(c -> Conditions.TRUE.equals(c.getStatus())).isPresent();
      Optional<Condition> ready = previous.stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst();
      ConditionList own = new ConditionList(clock, previous, nn.getMetadata().getGeneration());
      conflict.ifPresentOrElse(
          c -> own.set(Conditions.CONFLICT, true, c.reason(), c.message())
              .set(Conditions.READY, false, c.reason(), c.message() + " See the Conflict condition."),
          () -> {
            own.set(Conditions.CONFLICT, false, "NoConflict", "No other node shares this node's IP or uplink MAC.");
            // Only the agent knows whether the dataplane is ready: a Ready we made False for the
            // conflict becomes Unknown until it reports (at once, if it runs).
            ready.filter(r -> NodeConflicts.REASONS.contains(r.getReason())).ifPresent(r -> own.set(Conditions.READY, "Unknown", RESOLVED,
                "No other node shares this node's IP or uplink MAC any more; waiting for the agent on this node to report its dataplane."));
          });
      List<Condition> written = own.build();
      List<Condition> next = new ArrayList<>(previous.stream()
          .filter(c -> written.stream().noneMatch(w -> w.getType().equals(c.getType()))).toList());
      next.addAll(written);
      NodeNetworkStatus status = nn.getStatus() == null ? new NodeNetworkStatus() : nn.getStatus();
      status.setConditions(next);
      nn.setStatus(status);
      try {
        client.resource(nn).updateStatus();
        conflict.ifPresent(c -> LOG.warnf("node %s: %s", nn.getMetadata().getName(), c.message()));
        if (conflict.isPresent() && !wasInConflict) {
          events.record(nn, EventRecorder.Type.Warning, conflict.get().reason(), conflict.get().message());
        } else if (conflict.isEmpty() && wasInConflict) {
          LOG.infof("node %s: conflict resolved", nn.getMetadata().getName());
          events.record(nn, EventRecorder.Type.Normal, RESOLVED, "No other node shares the IP or uplink MAC of node "
              + nn.getMetadata().getName() + " any more.");
        }
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
