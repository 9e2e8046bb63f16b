package io.plainroute.agent;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.netlink.NetlinkEvent;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Turns rtnetlink notifications that may mean drift — one of plainroute's routes deleted, a link
 * or an address changed, events lost — into reconciles, so a route deleted by hand is back within
 * milliseconds instead of at the next periodic resync (invariant 7).
 */
final class KernelEvents implements Consumer<NetlinkEvent> {
  private final SimpleInboundEventSource<ClusterNetwork> source = new SimpleInboundEventSource<>("kernel-events");
  private final int protocol;
  private final Supplier<Stream<ResourceID>> clusterNetworks;

  KernelEvents(int protocol, Supplier<Stream<ResourceID>> clusterNetworks) {
    this.protocol = protocol;
    this.clusterNetworks = clusterNetworks;
  }

  SimpleInboundEventSource<ClusterNetwork> source() {
    return source;
  }

  @Override
  public void accept(NetlinkEvent event) {
    if (mayBeDrift(event)) {
      clusterNetworks.get().forEach(source::propagateEvent);
    }
  }

  private boolean mayBeDrift(NetlinkEvent event) {
    if (event instanceof NetlinkEvent.RouteChanged route) {
      return route.deleted() && route.route().protocol() == protocol;
    }
    return true;
  }
}
