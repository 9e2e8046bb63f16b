package io.plainroute.controller;

import io.plainroute.api.v1alpha1.NodeNetwork;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The lectures' classic mistakes, found across nodes (invariant 9): two nodes with the same node IP
 * (peers would route both nodes' pods to one machine) or the same uplink MAC (cloned VMs: the
 * switch delivers frames to one of them at random). Pure: NodeNetworks in, findings out.
 */
final class NodeConflicts {
  static final String DUPLICATE_NODE_IP = "DuplicateNodeIP";
  static final String DUPLICATE_MAC = "DuplicateMAC";
  static final Set<String> REASONS = Set.of(DUPLICATE_NODE_IP, DUPLICATE_MAC);

  private NodeConflicts() {}

  /** A finding for one node: a reason and a message naming the other nodes and the fix. */
  record Conflict(String reason, String message) {}

  /** Every node that shares its node IP or uplink MAC with another, by node name. */
  static Map<String, Conflict> find(List<NodeNetwork> nodeNetworks) {
    Map<String, Conflict> found = new TreeMap<>();
    sharingAny(nodeNetworks, nn -> nn.getSpec() == null ? List.of() : nn.getSpec().allNodeIPs()).forEach((ip, nodes) ->
        nodes.forEach(node -> found.put(node, new Conflict(DUPLICATE_NODE_IP, "Nodes " + String.join(", ", nodes)
            + " all report node IP " + ip + ": peers cannot tell them apart. Give each node its own address."))));
    sharing(nodeNetworks, nn -> nn.getStatus() == null || nn.getStatus().getUplink() == null ? null : nn.getStatus().getUplink().getMac())
        .forEach((mac, nodes) -> nodes.forEach(node -> found.putIfAbsent(node, new Conflict(DUPLICATE_MAC, "Nodes "
            + String.join(", ", nodes) + " have the same uplink MAC " + mac
            + " (cloned VMs?): the LAN cannot deliver to both. Give each VM its own MAC address."))));
    return found;
  }

  /** Keys (each family's node IP) that more than one node has among its keys, with those nodes. */
  private static Map<String, List<String>> sharingAny(List<NodeNetwork> nodeNetworks, Function<NodeNetwork, List<String>> keys) {
    Map<String, Set<String>> byKey = new TreeMap<>();
    for (NodeNetwork nn : nodeNetworks) {
      keys.apply(nn).stream().filter(k -> k != null && !k.isEmpty())
          .forEach(k -> byKey.computeIfAbsent(k, x -> new TreeSet<>()).add(nn.getMetadata().getName()));
    }
    Map<String, List<String>> shared = new TreeMap<>();
    byKey.forEach((key, nodes) -> {
      if (nodes.size() > 1) {
        shared.put(key, List.copyOf(nodes));
      }
    });
    return shared;
  }

  private static Map<String, List<String>> sharing(List<NodeNetwork> nodeNetworks, Function<NodeNetwork, String> key) {
    return nodeNetworks.stream()
        .filter(nn -> Optional.ofNullable(key.apply(nn)).filter(k -> !k.isEmpty()).isPresent())
        .collect(Collectors.groupingBy(key, TreeMap::new, Collectors.mapping(nn -> nn.getMetadata().getName(),
            Collectors.collectingAndThen(Collectors.toList(), l -> l.stream().sorted().toList()))))
        .entrySet().stream().filter(e -> e.getValue().size() > 1)
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, TreeMap::new));
  }
}
