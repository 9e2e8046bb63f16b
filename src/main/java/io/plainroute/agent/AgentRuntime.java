package io.plainroute.agent;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.plainroute.PlainrouteConfig;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
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
  private final AgentMetrics metrics;
  private NetlinkHandle netlink;
  private Masquerade masquerade;
  private NodeDataplane dataplane;
  private FollowUpPass followUp;
  private CniConfigWatch cniConfigWatch;
  private CniConfigWriter cniConfig;

  public AgentRuntime(PlainrouteConfig config, AgentMetrics metrics) {
    this.config = config.agent();
    this.metrics = metrics;
  }

  synchronized DataplaneReport reconcile(ClusterNetworkSpec cluster, NodeNetworkSpec own, List<NodeNetwork> peers, List<SubnetClaim> claims) {
    NodeDataplane node = dataplane();
    NodeInterfaces interfaces;
    int readErrors = 0;
    try {
      interfaces = node.interfaces();
    } catch (NetlinkException e) {
      LOG.warnf("could not read the node's interfaces: %s", e.getMessage());
      interfaces = new NodeInterfaces(List.of(), List.of());
      readErrors = 1;
    }
    return node.pass(cluster, own, peers, claims, interfaces).plusNetlinkErrors(readErrors);
  }

  /**
   * Starts reading the node's rtnetlink notifications: drift is repaired straight from them, and
   * those that concern what plainroute owns lead to a pass for each of {@code targets}.
   *
   * @return the source of those passes, for the reconciler
   */
  synchronized SimpleInboundEventSource<ClusterNetwork> subscribe(String nodeName, Supplier<Stream<ResourceID>> targets) {
    SimpleInboundEventSource<ClusterNetwork> passes = new SimpleInboundEventSource<>("kernel-events");
    NodeDataplane node = dataplane();
    Runnable pass = () -> targets.get().forEach(passes::propagateEvent);
    followUp = new FollowUpPass(pass);
    KernelEvents events = new KernelEvents(node, pass, followUp, nanos -> metrics.driftRepaired(nodeName, nanos));
    try {
      cniConfigWatch = CniConfigWatch.start(cniConfig.file(), pass);
    } catch (IOException e) {
      LOG.warnf("cannot watch %s (%s): a CNI config removed by hand comes back at the next resync", cniConfig.file(), e.getMessage());
    }
    try {
      netlink.subscribe(events);
    } catch (NetlinkException e) {
      throw new UncheckedIOException("could not subscribe to rtnetlink events", e);
    }
    return passes;
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
      cniConfig = new CniConfigWriter(Path.of(config.cniConfDir()));
      dataplane = new NodeDataplane(netlink, config.routeProtocol(), masquerade, cniConfig);
      LOG.infof("agent programs %s", namespace);
    }
    return dataplane;
  }


  @PreDestroy
  synchronized void close() {
    if (followUp != null) {
      followUp.close();
    }
    if (cniConfigWatch != null) {
      try {
        cniConfigWatch.close();
      } catch (IOException e) {
        LOG.debugf("closing the CNI config watch: %s", e.getMessage());
      }
    }
    if (masquerade != null) {
      masquerade.close();
    }
    if (netlink != null) {
      netlink.close();
    }
  }
}
