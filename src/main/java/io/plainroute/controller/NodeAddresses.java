package io.plainroute.controller;

import inet.ipaddr.ipv4.IPv4Address;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.plainroute.ipam.Cidrs;
import java.util.List;
import java.util.Optional;

/** Which address peers use to reach a node: its unicast IPv4 InternalIP, else its unicast IPv4 ExternalIP. */
final class NodeAddresses {
  private NodeAddresses() {}

  static Optional<String> nodeIP(Node node) {
    List<NodeAddress> addresses = node.getStatus() == null ? null : node.getStatus().getAddresses();
    if (addresses == null) {
      return Optional.empty();
    }
    return firstIPv4(addresses, "InternalIP").or(() -> firstIPv4(addresses, "ExternalIP"));
  }

  private static Optional<String> firstIPv4(List<NodeAddress> addresses, String type) {
    return addresses.stream()
        .filter(a -> type.equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> Cidrs.parseAddress(a).filter(NodeAddresses::unicast).isPresent())
        .findFirst();
  }

  /** An address peers can route to (the NodeNetwork's nodeIP refuses the others). */
  private static boolean unicast(IPv4Address address) {
    return !address.isLoopback() && !address.isLinkLocal() && !address.isMulticast() && !address.isZero()
        && !address.isMax();
  }

  static Optional<String> podCIDR(Node node) {
    return Optional.ofNullable(node.getSpec()).map(s -> s.getPodCIDR()).filter(s -> !s.isEmpty());
  }
}
