package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.Family;
import java.util.List;
import java.util.Optional;

/**
 * What the controller reads of a Node: which address peers use to reach it in each family (its
 * InternalIP of that family, else its ExternalIP of that family), and the podCIDRs it already has.
 */
final class NodeAddresses {
  private NodeAddresses() {}

  static Optional<String> nodeIP(Node node, Family family) {
    List<NodeAddress> addresses = node.getStatus() == null ? null : node.getStatus().getAddresses();
    if (addresses == null) {
      return Optional.empty();
    }
    return first(addresses, "InternalIP", family).or(() -> first(addresses, "ExternalIP", family));
  }

  /** The node's address of each family, for telling whether a Node update matters. */
  static List<Optional<String>> nodeIPs(Node node) {
    return List.of(nodeIP(node, Family.IPv4), nodeIP(node, Family.IPv6));
  }

  private static Optional<String> first(List<NodeAddress> addresses, String type, Family family) {
    return addresses.stream()
        .filter(a -> type.equals(a.getType()))
        .map(NodeAddress::getAddress)
        .filter(a -> Cidrs.parseAddress(a, family).isPresent())
        .findFirst();
  }

  static Optional<String> podCIDR(Node node) {
    return Optional.ofNullable(node.getSpec()).map(s -> s.getPodCIDR()).filter(s -> !s.isEmpty());
  }

  /** Node.spec.podCIDRs, or [podCIDR] when only that is set. */
  static List<String> podCIDRs(Node node) {
    List<String> all = node.getSpec() == null ? null : node.getSpec().getPodCIDRs();
    if (all != null && !all.isEmpty()) {
      return all;
    }
    return podCIDR(node).map(List::of).orElse(List.of());
  }
}
