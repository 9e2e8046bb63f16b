package io.plainroute.agent;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.PlainrouteConfig;
import io.plainroute.Roles;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.netlink.Link;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.RouteChange;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.Masquerade;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * {@code PLAINROUTE_ROLE=cleanup}: removes everything plainroute created on this node — routes
 * tagged with its protocol number, its bridge (and so the gateway address), its nftables table,
 * its CNI config — and exits. Routes and tables of others stay. Meant to run once per node after
 * the DaemonSet is deleted; an agent that merely stops tears nothing down, so pods keep working.
 */
@ApplicationScoped
public class NodeCleanup {
  private static final Logger LOG = Logger.getLogger(NodeCleanup.class);
  private static final String DEFAULT_BRIDGE = "cni0";

  private final PlainrouteConfig config;
  private final KubernetesClient client;

  public NodeCleanup(PlainrouteConfig config, KubernetesClient client) {
    this.config = config;
    this.client = client;
  }

  void onStart(@Observes StartupEvent event) {
    if (!Roles.CLEANUP.equals(config.role())) {
      return;
    }
    PlainrouteConfig.Agent agent = config.agent();
    NetworkNamespace namespace = agent.netns().map(NetworkNamespace::named).orElseGet(NetworkNamespace::current);
    int failures = 0;
    try (NetlinkHandle netlink = NetlinkHandle.open(namespace)) {
      List<RouteChange> deletes = netlink.routes(agent.routeProtocol()).stream().map(RouteChange::delete).toList();
      failures += netlink.applyRoutes(deletes).size();
      LOG.infof("removed %d routes of protocol %d", deletes.size(), agent.routeProtocol());
      String bridge = bridgeName();
      Optional<Link> link = netlink.link(bridge).filter(l -> "bridge".equals(l.kind()));
      if (link.isPresent()) {
        netlink.deleteLink(link.get().index());
        LOG.infof("removed bridge %s", bridge);
      }
    } catch (IOException e) {
      LOG.errorf("could not remove routes and bridge: %s", e.getMessage());
      failures++;
    }
    try (Masquerade masquerade = Masquerade.open(namespace)) {
      masquerade.remove();
      LOG.info("removed the masquerade table");
    } catch (IOException e) {
      LOG.errorf("could not remove the masquerade table: %s", e.getMessage());
      failures++;
    }
    try {
      new CniConfigWriter(Path.of(agent.cniConfDir())).remove();
      LOG.infof("removed the CNI config from %s", agent.cniConfDir());
    } catch (IOException e) {
      LOG.errorf("could not remove the CNI config: %s", e.getMessage());
      failures++;
    }
    Quarkus.asyncExit(failures == 0 ? 0 : 1);
  }

  /** The bridge the ClusterNetwork names; cni0 when the API server cannot say (it may be gone). */
  private String bridgeName() {
    try {
      return ClusterNetwork.active(client.resources(ClusterNetwork.class).list().getItems())
          .map(name -> client.resources(ClusterNetwork.class).withName(name).get().getSpec().getBridgeName())
          .orElse(DEFAULT_BRIDGE);
    } catch (RuntimeException e) {
      LOG.warnf("could not read the ClusterNetwork (%s): removing bridge %s", e.getMessage(), DEFAULT_BRIDGE);
      return DEFAULT_BRIDGE;
    }
  }
}
