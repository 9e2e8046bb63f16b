package io.plainroute.agent;

import io.plainroute.netlink.IpFamily;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's uplink of each family, found by the node's address of that family: on a dual-stack
 * node usually one interface twice, but the families may leave through different ones.
 *
 * @param byFamily the uplink of each family whose node address an interface holds
 */
record NodeUplinks(Map<IpFamily, NodeUplink> byFamily) {
  static final NodeUplinks NONE = new NodeUplinks(Map.of());

  NodeUplinks {
    byFamily = Map.copyOf(byFamily);
  }

  /** The uplink of each family whose node address an interface of {@code interfaces} holds. */
  static NodeUplinks find(List<PodSubnet> subnets, NodeInterfaces interfaces) {
    Map<IpFamily, NodeUplink> found = new EnumMap<>(IpFamily.class);
    subnets.forEach(subnet -> subnet.nodeIP().flatMap(interfaces::uplink).ifPresent(u -> found.put(subnet.family(), u)));
    return new NodeUplinks(found);
  }

  /** The uplink of one family. */
  Optional<NodeUplink> of(IpFamily family) {
    return Optional.ofNullable(byFamily.get(family));
  }

  /** The uplink of the first family of {@code subnets} that has one: what status shows. */
  Optional<NodeUplink> first(List<PodSubnet> subnets) {
    return subnets.stream().map(s -> byFamily.get(s.family())).filter(u -> u != null).findFirst();
  }

  Collection<NodeUplink> all() {
    return byFamily.values();
  }

  boolean isEmpty() {
    return byFamily.isEmpty();
  }

  /** Whether {@code linkIndex} is the uplink of any family. */
  boolean isUplink(int linkIndex) {
    return byFamily.values().stream().anyMatch(u -> u.index() == linkIndex);
  }
}
