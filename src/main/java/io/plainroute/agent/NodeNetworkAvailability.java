package io.plainroute.agent;

import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The agent's word on its own Node, as CNI plugins that own node routing give it: the
 * {@code NetworkUnavailable} condition is False once the node's pod network works and True, with
 * the reason, when it does not. The node lifecycle controller turns True into the taint
 * {@code node.kubernetes.io/network-unavailable:NoSchedule}, so the scheduler keeps pods off a node
 * whose pods would be cut off. Written by strategic-merge patch of {@code nodes/status} (the only
 * Node permission the agent has; config/admission limits it to its own Node and to this
 * condition), and only when it changes.
 */
final class NodeNetworkAvailability {
  private static final Logger LOG = Logger.getLogger(NodeNetworkAvailability.class);
  static final String TYPE = "NetworkUnavailable";
  static final String AVAILABLE = "PlainrouteReady";
  /** Ready reasons that are about a peer's placement or data, not this node. */
  private static final Set<String> PEERS_PROBLEMS =
      Set.of(DesiredDataplane.PEER_NOT_ON_LINK, DesiredDataplane.NO_NODE_IP, DesiredDataplane.INVALID_POD_CIDR);

  private final KubernetesClient client;
  private final String nodeName;
  private final Clock clock;
  /** What this process last wrote; null before its first write. */
  private NodeCondition written;

  NodeNetworkAvailability(KubernetesClient client, String nodeName, Clock clock) {
    this.client = client;
    this.nodeName = nodeName;
    this.clock = clock;
  }

  /**
   * Follows the NodeNetwork's Ready (which also says False for a Conflict), except when only some
   * peers cannot be routed because of where those peers are: one node put on another network must
   * not taint every other node. Throws the API error when the write fails.
   */
  void follow(NodeNetworkStatus status) {
    status.getConditions().stream().filter(c -> Conditions.READY.equals(c.getType())).findFirst().ifPresent(ready -> {
      if (Conditions.TRUE.equals(ready.getStatus())) {
        available("plainroute programmed this node's pod network: " + ready.getMessage());
      } else if (PEERS_PROBLEMS.contains(ready.getReason())) {
        available("plainroute programmed this node's pod network; some peers get no route (" + ready.getReason()
            + "): see this node's NodeNetwork.");
      } else {
        unavailable(ready.getReason(), ready.getMessage());
      }
    });
  }

  /** The pod network works. Throws the API error when the write fails (retried by the caller). */
  void available(String message) {
    report("False", AVAILABLE, message);
  }

  /** The pod network does not work, for {@code reason}. */
  void unavailable(String reason, String message) {
    report("True", reason, message);
  }

  private synchronized void report(String status, String reason, String message) {
    if (written != null && written.getStatus().equals(status) && written.getReason().equals(reason) && written.getMessage().equals(message)) {
      return;
    }
    String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    String since = written != null && written.getStatus().equals(status) ? written.getLastTransitionTime() : now;
    NodeCondition condition = new NodeConditionBuilder().withType(TYPE).withStatus(status).withReason(reason).withMessage(message)
        .withLastTransitionTime(since).withLastHeartbeatTime(now).build();
    // Strategic merge: conditions merge by type, so the kubelet's conditions are left alone.
    // Patched on a stub of the Node: given no object, the client would read the Node first, which
    // the agent may not.
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(nodeName).endMetadata().build())
        .subresource("status").patch(PatchContext.of(PatchType.STRATEGIC_MERGE),
        client.getKubernetesSerialization().asJson(Map.of("status", Map.of("conditions", List.of(condition)))));
    if (written == null || !written.getStatus().equals(status)) {
      LOG.infof("node %s: %s=%s (%s)", nodeName, TYPE, status, reason);
    }
    written = condition;
  }
}
