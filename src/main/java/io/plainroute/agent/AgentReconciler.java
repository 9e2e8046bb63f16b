package io.plainroute.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.status.EventRecorder;
import io.plainroute.status.ReconcileError;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.HttpURLConnection;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

/**
 * The agent's one reconcile loop: the cluster's ClusterNetwork is the primary resource, and every
 * NodeNetwork change and every kernel notification that may be drift leads to one pass that
 * computes the node's desired dataplane from the cached API objects, applies the difference and
 * writes the status of this node's NodeNetwork when it changed.
 *
 * <p>Fail-static (invariant 6): nothing here removes kernel state because the API server cannot
 * be reached. Passes run from the informers' caches, which keep the last known objects, so drift
 * is still repaired during an outage; only the status write waits.
 */
@ApplicationScoped
@LookupIfProperty(name = Roles.PROPERTY, stringValue = Roles.AGENT, lookupIfMissing = false)
@ControllerConfiguration(
    name = "agent",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 60, timeUnit = TimeUnit.SECONDS))
public class AgentReconciler implements Reconciler<ClusterNetwork> {
  private static final Logger LOG = Logger.getLogger(AgentReconciler.class);
  /** NodeNetworks per list request when the informer (re)lists: bounds the heap a full list needs. */
  private static final long INFORMER_PAGE = 500;

  private final AgentRuntime runtime;
  private final String nodeName;
  private final KubernetesClient client;
  private final NodeNetworkStatusFactory statuses = new NodeNetworkStatusFactory(Clock.systemUTC());
  private final AgentMetrics metrics;
  private final AgentReadiness readiness;
  private final EventRecorder events;
  private final NodeNetworkAvailability availability;
  private final StatusWriteBackoff statusBackoff = new StatusWriteBackoff();
  private final FailedPartRetry failedPartRetry = new FailedPartRetry();
  private final OwnStatusWrites ownWrites;
  /** What the last pass found in the kernel: an error after it is reported beside it. */
  private volatile LastPass lastPass;

  /** The kernel as the last pass found it, and the bridge it was judged against. */
  private record LastPass(String bridgeName, DataplaneReport report) {}

  public AgentReconciler(AgentRuntime runtime, PlainrouteConfig config, KubernetesClient client, AgentMetrics metrics,
      @Readiness AgentReadiness readiness) {
    this.runtime = runtime;
    this.nodeName = config.agent().nodeName().or(() -> Optional.ofNullable(System.getenv("NODE_NAME"))).filter(n -> !n.isBlank())
        .orElseThrow(() -> new IllegalStateException("the agent does not know its node: set NODE_NAME (the DaemonSet sets it from spec.nodeName)"));
    this.client = client;
    this.metrics = metrics;
    this.readiness = readiness;
    this.events = new EventRecorder(client, "plainroute-agent", nodeName);
    this.availability = new NodeNetworkAvailability(client, nodeName, Clock.systemUTC());
    this.ownWrites = new OwnStatusWrites(client.getKubernetesSerialization());
  }

  @Override
  public List<EventSource<?, ClusterNetwork>> prepareEventSources(EventSourceContext<ClusterNetwork> context) {
    IndexerResourceCache<ClusterNetwork> clusterNetworks = context.getPrimaryCache();
    var kernel = runtime.subscribe(nodeName, () -> clusterNetworks.list().map(ResourceID::fromResource));
    return List.of(
        new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeNetwork.class, ClusterNetwork.class)
            .withSecondaryToPrimaryMapper(nn -> clusterNetworks.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
            // Status changes (our own writes) change nothing in the kernel; the controller's
            // Conflict changes what Ready says.
            .withOnUpdateFilter((nn, old) -> !Objects.equals(nn.getSpec(), old.getSpec())
                || nn.getMetadata().getName().equals(nodeName) && !Objects.equals(conflictOf(nn), conflictOf(old)))
            // Peers' spec only (memory at thousands of nodes), listed a page at a time.
            .withItemStore(new PeerNodeNetworkStore(nodeName))
            .withInformerListLimit(INFORMER_PAGE)
            .build(), context),
        // A peer's claim outlives its NodeNetwork when that is deleted by hand: its route stays.
        new InformerEventSource<>(InformerEventSourceConfiguration.from(SubnetClaim.class, ClusterNetwork.class)
            .withSecondaryToPrimaryMapper(c -> clusterNetworks.list().map(ResourceID::fromResource).collect(Collectors.toSet()))
            .build(), context),
        kernel);
  }

  @Override
  public UpdateControl<ClusterNetwork> reconcile(ClusterNetwork cn, Context<ClusterNetwork> context) {
    String active = ClusterNetwork.active(context.getPrimaryCache().list().toList()).orElse("");
    if (!active.equals(cn.getMetadata().getName())) {
      return UpdateControl.noUpdate();
    }
    List<NodeNetwork> all = nodeNetworks(context);
    Optional<NodeNetwork> own = all.stream().filter(nn -> nn.getMetadata().getName().equals(nodeName)).findFirst();
    if (own.isEmpty()) {
      LOG.debugf("node %s has no NodeNetwork yet: waiting for the controller", nodeName);
      return retryingStatusWrites(() -> availability.unavailable("NoPodSubnet",
          "The plainroute controller has not given this node a pod subnet yet (no NodeNetwork " + nodeName + ")."));
    }
    List<NodeNetwork> peers = all.stream().filter(nn -> !nn.getMetadata().getName().equals(nodeName)).toList();
    DataplaneReport report = runtime.reconcile(cn.getSpec(), own.get().getSpec(), peers, subnetClaims(context));
    metrics.record(nodeName, report);
    readiness.passCompleted();
    metrics.ready(nodeName, isReady(statuses.from(own.get(), cn.getSpec().getBridgeName(), report)));
    lastPass = new LastPass(cn.getSpec().getBridgeName(), report);
    Set<String> peerNames = peers.stream().map(nn -> nn.getMetadata().getName()).collect(Collectors.toSet());
    Optional<Duration> retryFailedPart = failedPartRetry.after(report);
    UpdateControl<ClusterNetwork> control = retryingStatusWrites(() -> {
      // The Node first: when its write is refused, the NodeNetwork says so (updateErrorStatus)
      // instead of a Ready that the next write would take back.
      reportAvailability(own.get(), cn.getSpec().getBridgeName(), report);
      writeStatus(own.get(), nn -> statuses.from(nn, cn.getSpec().getBridgeName(), report))
          .ifPresent(written -> recordPeerEvents(written, PeerTransitions.between(written.before(), report.unreachable(), peerNames)));
    });
    // The sooner of the two retries: status writes that failed, and a part of the kernel not as desired.
    if (retryFailedPart.isPresent() && control.getScheduleDelay().map(d -> d > retryFailedPart.get().toMillis()).orElse(true)) {
      return control.rescheduleAfter(retryFailedPart.get());
    }
    return control;
  }

  /**
   * An exception that escaped a pass (the API server refusing a write for good — RBAC or admission
   * of another version —, or a bug) becomes Ready False on this node's NodeNetwork with a reason a
   * person can act on, beside what the last pass found in the kernel. java-operator-sdk retries
   * the pass with backoff (application.properties); the next pass that succeeds writes Ready as the
   * dataplane is. The ClusterNetwork itself is the controller's to write: its status is left alone.
   */
  @Override
  public ErrorStatusUpdateControl<ClusterNetwork> updateErrorStatus(ClusterNetwork cn, Context<ClusterNetwork> context, Exception e) {
    ReconcileError error = ReconcileError.of(e, "the plainroute agent's ServiceAccount", "the agent on node " + nodeName);
    LOG.warnf(e, "node %s: pass failed (%s): %s", nodeName, error.reason(), error.message());
    metrics.ready(nodeName, false);
    nodeNetworks(context).stream().filter(nn -> nn.getMetadata().getName().equals(nodeName)).findFirst().ifPresent(own -> {
      LastPass pass = lastPass;
      try {
        writeStatus(own, nn -> statuses.failed(nn, pass == null ? null : pass.bridgeName(), pass == null ? null : pass.report(), error));
      } catch (KubernetesClientException refused) {
        LOG.debugf("node %s: the error could not be written to its NodeNetwork either: %s", nodeName, refused.getMessage());
      }
    });
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  private void reportAvailability(NodeNetwork own, String bridgeName, DataplaneReport report) {
    availability.follow(statuses.from(own, bridgeName, report));
  }

  private UpdateControl<ClusterNetwork> retryingStatusWrites(Runnable writes) {
    return statusBackoff.attempt(writes).map(next -> UpdateControl.<ClusterNetwork>noUpdate().rescheduleAfter(next))
        .orElseGet(UpdateControl::noUpdate);
  }

  /** A status the agent wrote over, and the object as written. */
  private record Written(NodeNetwork nodeNetwork, List<UnreachablePeer> before) {}

  private void recordPeerEvents(Written written, PeerTransitions transitions) {
    for (UnreachablePeer peer : transitions.becameUnreachable()) {
      LOG.warnf("peer %s (%s) is unreachable: %s", peer.getNode(), peer.getNodeIP(), peer.getReason());
      events.record(written.nodeNetwork(), EventRecorder.Type.Warning, "PeerUnreachable", "Node " + peer.getNode() + " ("
          + peer.getNodeIP() + ") gets no route from " + nodeName + " (" + peer.getReason() + "): " + PeerProblems.explain(peer));
    }
    for (String peer : transitions.becameReachable()) {
      LOG.infof("peer %s is routed again", peer);
      events.record(written.nodeNetwork(), EventRecorder.Type.Normal, "PeerReachable", "Node " + peer + " is routed from " + nodeName + " again.");
    }
  }

  /**
   * Writes the status when it changed. The write carries the resourceVersion it was computed from,
   * so it cannot undo a concurrent write of the controller's Conflict condition; when it meets one
   * (or when the cache has not yet seen our previous write), it is computed again from the object
   * as the API server has it. Returns what was written over, empty when nothing was written.
   */
  private Optional<Written> writeStatus(NodeNetwork cached, Function<NodeNetwork, NodeNetworkStatus> compute) {
    NodeNetwork current = ownWrites.base(cached);
    for (int attempt = 1; ; attempt++) {
      NodeNetworkStatus status = compute.apply(current);
      if (status.equals(current.getStatus())) {
        return Optional.empty();
      }
      List<UnreachablePeer> before = current.getStatus() == null ? List.of() : current.getStatus().getUnreachablePeers();
      String over = current.getMetadata().getResourceVersion();
      current.setStatus(status);
      try {
        NodeNetwork result = client.resource(current).updateStatus();
        ownWrites.wrote(over, result);
        return Optional.of(new Written(result, before));
      } catch (KubernetesClientException e) {
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT || attempt == 3) {
          throw e;
        }
        current = client.resources(NodeNetwork.class).withName(nodeName).get();
        if (current == null) {
          return Optional.empty();
        }
      }
    }
  }

  private static boolean isReady(NodeNetworkStatus status) {
    return status.getConditions().stream().anyMatch(c -> Conditions.READY.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static Optional<String> conflictOf(NodeNetwork nn) {
    return Optional.ofNullable(nn.getStatus()).flatMap(s -> s.getConditions().stream()
        .filter(c -> Conditions.CONFLICT.equals(c.getType())).map(c -> c.getStatus()).findFirst());
  }

  @SuppressWarnings("unchecked")
  private static List<SubnetClaim> subnetClaims(Context<ClusterNetwork> context) {
    var source = (InformerEventSource<SubnetClaim, ClusterNetwork>) context.eventSourceRetriever().getEventSourceFor(SubnetClaim.class);
    return source.list(claim -> true).toList();
  }

  @SuppressWarnings("unchecked")
  private static List<NodeNetwork> nodeNetworks(Context<ClusterNetwork> context) {
    var source = (InformerEventSource<NodeNetwork, ClusterNetwork>) context.eventSourceRetriever().getEventSourceFor(NodeNetwork.class);
    return source.list(nn -> true).toList();
  }
}
