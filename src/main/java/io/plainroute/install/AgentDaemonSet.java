package io.plainroute.install;

import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.plainroute.OwnNamespace;
import io.plainroute.PlainrouteConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * With {@code plainroute.agent-install.enabled} (the OLM install sets it), the elected controller
 * keeps the agent DaemonSet of {@link AgentDaemonSetTemplate} in place in its own namespace: it
 * server-side-applies it when it starts leading and again whenever the DaemonSet is deleted or its
 * spec or labels change. Server-side apply with its own field manager means only the fields of
 * the template are the controller's: what others add (annotations, extra labels, fields the
 * template leaves out) stays, and an apply that would change nothing is a no-op for the API server.
 *
 * <p>Started by the leader-election callback ({@code LeaderElection}), so it runs where leader
 * election does: the packaged controller (prod profile). Nothing owns the DaemonSet: uninstalling
 * the operator leaves the agents, and so the nodes' pod network, in place.
 */
@ApplicationScoped
public class AgentDaemonSet {
  private static final Logger LOG = Logger.getLogger(AgentDaemonSet.class);
  static final String FIELD_MANAGER = "plainroute-controller";
  private static final long RETRY_SECONDS = 5;

  private final KubernetesClient client;
  private final PlainrouteConfig.AgentInstall config;
  private volatile ScheduledExecutorService worker;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private volatile SharedIndexInformer<DaemonSet> informer;
  private DaemonSet desired;

  public AgentDaemonSet(KubernetesClient client, PlainrouteConfig config) {
    this.client = client;
    this.config = config.agentInstall();
  }

  /**
   * Called once this replica leads; does nothing unless the option is on. Returns at once: the
   * work runs on its own thread, so that an agent install that cannot work (bad namespace, missing
   * permission) is logged and retried but never holds up allocation, which starts on the same
   * leader callback.
   */
  public void startManaging() {
    if (!config.enabled()) {
      // Said once per leadership, so that "no DaemonSet" is a decision one can see, not a silence.
      LOG.info("not installing the agent DaemonSet: plainroute.agent-install.enabled is false");
      return;
    }
    if (!started.compareAndSet(false, true)) {
      return;
    }
    worker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "agent-daemonset");
      t.setDaemon(true);
      return t;
    });
    worker.execute(this::begin);
  }

  private void begin() {
    try {
      AgentDaemonSetTemplate template = AgentDaemonSetTemplate.fromJar(client.getKubernetesSerialization());
      String namespace = OwnNamespace.resolve(config.namespace(), "plainroute.agent-install.namespace");
      Optional<ApiServerAddress> apiServer = config.apiServer()
          .map(a -> ApiServerAddress.parse(a, "plainroute.agent-install.api-server"));
      desired = template.render(namespace, config.image(), apiServer);
      LOG.infof("installing the agent DaemonSet %s/%s with image %s", namespace, template.name(),
          desired.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    } catch (RuntimeException e) {
      LOG.errorf("cannot install the agent DaemonSet: %s", e.getMessage());
      return;
    }
    watch();
  }

  private void watch() {
    try {
      informer = client.apps().daemonSets().inNamespace(desired.getMetadata().getNamespace())
          .withName(desired.getMetadata().getName()).inform(new Changes());
    } catch (KubernetesClientException e) {
      LOG.warnf("cannot watch the agent DaemonSet (retrying in %ds): %s", RETRY_SECONDS, e.getMessage());
      worker.schedule(this::watch, RETRY_SECONDS, TimeUnit.SECONDS);
      return;
    }
    schedule(0);
  }

  void stop(@Observes ShutdownEvent event) {
    if (informer != null) {
      informer.close();
    }
    if (worker != null) {
      worker.shutdownNow();
    }
  }

  /** Coalesces bursts of events into one apply. */
  private void schedule(long delaySeconds) {
    if (pending.compareAndSet(false, true)) {
      worker.schedule(this::apply, delaySeconds, TimeUnit.SECONDS);
    }
  }

  private void apply() {
    pending.set(false);
    try {
      DaemonSet before = client.resource(desired).get();
      DaemonSet after = client.resource(desired).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
      if (before == null) {
        LOG.infof("created the agent DaemonSet %s/%s", after.getMetadata().getNamespace(), after.getMetadata().getName());
      } else if (!Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())) {
        LOG.infof("restored the agent DaemonSet %s/%s to its template (generation %d)",
            after.getMetadata().getNamespace(), after.getMetadata().getName(), after.getMetadata().getGeneration());
      } else {
        LOG.infof("the agent DaemonSet %s/%s already matches its template", after.getMetadata().getNamespace(),
            after.getMetadata().getName());
      }
    } catch (KubernetesClientException e) {
      LOG.warnf("could not apply the agent DaemonSet (retrying in %ds): %s", RETRY_SECONDS, e.getMessage());
      schedule(RETRY_SECONDS);
    }
  }

  /** Status updates (every rollout step) leave spec and labels alone, so they cause no apply. */
  private final class Changes implements ResourceEventHandler<DaemonSet> {
    @Override
    public void onAdd(DaemonSet ds) {}

    @Override
    public void onUpdate(DaemonSet old, DaemonSet ds) {
      if (!Objects.equals(old.getMetadata().getGeneration(), ds.getMetadata().getGeneration())
          || !Objects.equals(old.getMetadata().getLabels(), ds.getMetadata().getLabels())) {
        schedule(0);
      }
    }

    @Override
    public void onDelete(DaemonSet ds, boolean deletedFinalStateUnknown) {
      schedule(0);
    }
  }
}
