package io.plainroute.agent;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.plainroute.PlainrouteConfig;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.Masquerade;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The agent's handles on the node: one rtnetlink handle bound to the node's network namespace,
 * the nftables rule and the CNI file. Opened on first use (only in the agent role) and closed on
 * shutdown — closing tears nothing down: pods keep working while the agent restarts.
 */
@ApplicationScoped
public class AgentRuntime {
  private static final Logger LOG = Logger.getLogger(AgentRuntime.class);

  private final PlainrouteConfig.Agent config;
  private NetlinkHandle netlink;
  private Masquerade masquerade;
  private NodeDataplane dataplane;

  public AgentRuntime(PlainrouteConfig config) {
    this.config = config.agent();
  }

  synchronized DataplaneReport reconcile(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers) {
    NodeDataplane node = dataplane();
    Optional<NodeUplink> uplink;
    int uplinkErrors = 0;
    try {
      uplink = node.findUplink(own.getNodeIP());
    } catch (NetlinkException e) {
      LOG.warnf("could not read the node's interfaces: %s", e.getMessage());
      uplink = Optional.empty();
      uplinkErrors = 1;
    }
    return node.apply(DesiredDataplane.of(cluster, own, peers, uplink), uplink).plusNetlinkErrors(uplinkErrors);
  }

  synchronized KernelEvents subscribe(Supplier<Stream<ResourceID>> targets) {
    KernelEvents events = new KernelEvents(config.routeProtocol(), targets);
    try {
      dataplane();
      netlink.subscribe(events);
    } catch (NetlinkException e) {
      throw new UncheckedIOException("could not subscribe to rtnetlink events", e);
    }
    return events;
  }

  private NodeDataplane dataplane() {
    if (dataplane == null) {
      NetworkNamespace namespace = config.netns().map(NetworkNamespace::named).orElseGet(NetworkNamespace::current);
      try {
        netlink = NetlinkHandle.open(namespace);
        masquerade = Masquerade.open(namespace);
      } catch (IOException e) {
        throw new UncheckedIOException("could not open rtnetlink and nftables in " + namespace, e);
      }
      dataplane = new NodeDataplane(netlink, config.routeProtocol(), masquerade, new CniConfigWriter(Path.of(config.cniConfDir())));
      LOG.infof("agent programs %s", namespace);
    }
    return dataplane;
  }


  @PreDestroy
  synchronized void close() {
    if (masquerade != null) {
      masquerade.close();
    }
    if (netlink != null) {
      netlink.close();
    }
  }
}
