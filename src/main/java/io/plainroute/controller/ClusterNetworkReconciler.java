package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import io.plainroute.Roles;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkStatus;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.ipam.PoolSpec;
import io.plainroute.status.EventRecorder;
import io.plainroute.status.ReconcileError;
import io.quarkus.arc.lookup.LookupIfProperty;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles the cluster's ClusterNetwork against its Nodes: every event on a Node, NodeNetwork or
 * SubnetClaim leads to one whole-cluster allocation pass. Bursts of node events coalesce into few
 * passes because JOSDK never runs two passes for one ClusterNetwork at once.
 */
@ApplicationScoped
@LookupIfProperty(name = Roles.PROPERTY, stringValue = Roles.CONTROLLER, lookupIfMissing = false)
@ControllerConfiguration(
    name = "clusternetwork",
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 5, timeUnit = TimeUnit.MINUTES))
public class ClusterNetworkReconciler implements Reconciler<ClusterNetwork> {
  private static final Logger LOG = Logger.getLogger(ClusterNetworkReconciler.class);
  /** How soon a pass that met API errors is retried. */
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
  /**
   * Objects per page when an informer (re)lists: fabric8 reads a whole response into one array and
   * parses it at once, so an unpaged LIST of 5,000 kubelet-sized Nodes (~50 MB of JSON, several
   * times that parsed) is what the heap must hold at start-up and after a watch expires. Paged,
   * the peak is a page's worth (BENCHMARKS.md, "Thousands of nodes"); 500 is client-go's page.
   */
  private static final long LIST_PAGE = 500;

  private final SubnetAllocator allocator;
  private final ClusterNetworkStatusFactory statuses = new ClusterNetworkStatusFactory(Clock.systemUTC());
  private final ConflictConditions conflicts;
  private final OwnedSpecFields ownedSpecFields;
  private final PoolMetrics metrics;
  private final EventRecorder events;
  /** ClusterNetworks whose exhaustion this process has announced. */
  private final Set<String> toldExhausted = ConcurrentHashMap.newKeySet();

  public ClusterNetworkReconciler(KubernetesClient client, PoolMetrics metrics) {
    this.events = new EventRecorder(client, "plainroute-controller", null);
    this.allocator = new SubnetAllocator(new KubernetesAllocationStore(client, events), new ParallelWrites(SubnetAllocator.PARALLEL_WRITES));
    this.conflicts = new ConflictConditions(client, Clock.systemUTC(), events);
    this.ownedSpecFields = new OwnedSpecFields(client, events);
    this.metrics = metrics;
  }

  @Override
  public List<EventSource<?, ClusterNetwork>> prepareEventSources(EventSourceContext<ClusterNetwork> context) {
    IndexerResourceCache<ClusterNetwork> clusterNetworks = context.getPrimaryCache();
    return List.of(
        new InformerEventSource<>(InformerEventSourceConfiguration.from(Node.class, ClusterNetwork.class)
            .withItemStore(SlimStore.nodes())
            .withInformerListLimit(LIST_PAGE)
            .withSecondaryToPrimaryMapper(n -> all(clusterNetworks))
            .withOnUpdateFilter(ClusterNetworkReconciler::mattersForAllocation)
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(NodeNetwork.class, ClusterNetwork.class)
            .withItemStore(SlimStore.withoutManagedFields())
            .withInformerListLimit(LIST_PAGE)
            .withSecondaryToPrimaryMapper(nn -> all(clusterNetworks))
            .withOnUpdateFilter((nn, old) -> !Objects.equals(nn.getSpec(), old.getSpec()) || !Objects.equals(uplinkMac(nn), uplinkMac(old))
                || !Objects.equals(conflict(nn), conflict(old)))
            .build(), context),
        new InformerEventSource<>(InformerEventSourceConfiguration.from(SubnetClaim.class, ClusterNetwork.class)
            .withItemStore(SlimStore.withoutManagedFields())
            .withInformerListLimit(LIST_PAGE)
            .withSecondaryToPrimaryMapper(c -> all(clusterNetworks))
            .build(), context));
  }

  @Override
  public UpdateControl<ClusterNetwork> reconcile(ClusterNetwork cn, Context<ClusterNetwork> context) {
    String name = cn.getMetadata().getName();
    String active = ClusterNetwork.active(context.getPrimaryCache().list().toList()).orElse(name);
    if (!active.equals(name)) {
      return patchIfChanged(cn, statuses.conflicting(cn, active));
    }
    List<Node> nodes = nodes(context);
    PoolSpec.Result spec = PoolSpec.validate(
        cn.getSpec().getClusterCIDRs(), cn.getSpec().getNodeSubnetPrefixLength(), cn.getSpec().getNodeSubnetPrefixLengthIPv6());
    AllocationOutcome outcome;
    ClusterNetworkStatus status;
    if (spec instanceof PoolSpec.Valid valid) {
      outcome = allocator.sync(name, cn.getSpec(), Optional.of(valid.pools()), nodes);
      status = statuses.fromOutcome(cn, outcome, SubnetsOutsideRanges.find(valid.pools(), outcome.nodeNetworks()));
    } else {
      outcome = allocator.sync(name, cn.getSpec(), Optional.empty(), nodes);
      status = statuses.invalid(cn, ((PoolSpec.Invalid) spec).problems());
    }
    metrics.record(name, outcome);
    recordEvents(cn, outcome);
    int writesToRetry = ownedSpecFields.revert(outcome.nodeNetworks()) + conflicts.update(outcome.nodeNetworks());
    UpdateControl<ClusterNetwork> control = patchIfChanged(cn, status);
    return outcome.failures().isEmpty() && writesToRetry == 0 ? control : control.rescheduleAfter(RETRY_AFTER_FAILURE);
  }

  /**
   * An exception that escaped a pass (an API error outside the allocator's own handling, RBAC that
   * lost a permission, a bug) becomes Ready False with a reason a person can act on; the pass is
   * retried with backoff (application.properties) and the next good pass sets Ready again.
   */
  @Override
  public ErrorStatusUpdateControl<ClusterNetwork> updateErrorStatus(ClusterNetwork cn, Context<ClusterNetwork> context, Exception e) {
    ReconcileError error = ReconcileError.of(e, "the plainroute controller's ServiceAccount", "the controller");
    LOG.warnf("ClusterNetwork %s: pass failed (%s): %s", cn.getMetadata().getName(), error.reason(), error.message());
    ClusterNetworkStatus status = statuses.failed(cn, error);
    cn.setStatus(status);
    return ErrorStatusUpdateControl.patchStatus(cn);
  }

  /**
   * Releases, and the pool running out: once when it happens, not once a pass. The previous status
   * tells across restarts; the flag covers a next pass that starts before the cache has our patch.
   */
  private void recordEvents(ClusterNetwork cn, AllocationOutcome outcome) {
    for (AllocationOutcome.Release release : outcome.released()) {
      events.record(cn, EventRecorder.Type.Normal, "SubnetReleased",
          "Pod subnet " + release.podCIDR() + " of deleted node " + release.node() + " returned to the pool.");
    }
    boolean wasExhausted = Optional.ofNullable(cn.getStatus()).map(ClusterNetworkStatus::getConditions).orElse(List.of()).stream()
        .anyMatch(c -> Conditions.POOL_EXHAUSTED.equals(c.getType()) && Conditions.TRUE.equals(c.getStatus()));
    String name = cn.getMetadata().getName();
    if (outcome.pendingNodes().isEmpty()) {
      toldExhausted.remove(name);
    } else if (toldExhausted.add(name) && !wasExhausted) {
      events.record(cn, EventRecorder.Type.Warning, "SubnetPoolExhausted", "No free pod subnet for "
          + outcome.pendingNodes().size() + " node(s): append a range to spec.clusterCIDRs or delete nodes that are gone.");
    }
  }

  private static UpdateControl<ClusterNetwork> patchIfChanged(ClusterNetwork cn, ClusterNetworkStatus status) {
    if (status.equals(cn.getStatus())) {
      return UpdateControl.noUpdate();
    }
    cn.setStatus(status);
    return UpdateControl.patchStatus(cn);
  }

  @SuppressWarnings("unchecked")
  private static List<Node> nodes(Context<ClusterNetwork> context) {
    var source = (InformerEventSource<Node, ClusterNetwork>) context.eventSourceRetriever().getEventSourceFor(Node.class);
    return source.list(n -> true).toList();
  }

  /** Kubelets update their Node every few seconds; only labels, addresses and podCIDR matter here. */
  private static boolean mattersForAllocation(Node now, Node before) {
    return !Objects.equals(now.getMetadata().getLabels(), before.getMetadata().getLabels())
        || !Objects.equals(NodeAddresses.nodeIPs(now), NodeAddresses.nodeIPs(before))
        || !Objects.equals(NodeAddresses.podCIDRs(now), NodeAddresses.podCIDRs(before));
  }

  /** The agent reports its uplink's MAC in status; a change may create or end a Conflict. */
  private static Optional<String> uplinkMac(NodeNetwork nn) {
    return Optional.ofNullable(nn.getStatus()).map(s -> s.getUplink()).map(u -> u.getMac());
  }

  /** The controller's own condition: a hand edit of it is put back by the next pass. */
  private static Optional<String> conflict(NodeNetwork nn) {
    return Optional.ofNullable(nn.getStatus()).flatMap(s -> s.getConditions().stream()
        .filter(c -> Conditions.CONFLICT.equals(c.getType())).findFirst()).map(c -> c.getStatus() + " " + c.getReason() + " " + c.getMessage());
  }

  private static <T extends HasMetadata> Set<ResourceID> all(IndexerResourceCache<T> cache) {
    return cache.list().map(ResourceID::fromResource).collect(Collectors.toSet());
  }
}
