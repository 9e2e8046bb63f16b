package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.plainroute.testing.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab of one or two address families together with the pods started on it, every pod with an
 * address of each family, and what the e2e tests check across them family by family. It reads
 * the NodeNetworks as generic objects, by the field names of the dual-stack contract
 * ({@code spec.podCIDRs}, {@code gateways}, {@code nodeIPs}; {@code podCIDR} alone on objects
 * written before it).
 */
final class StackPodCluster {

  private final Lab lab;
  private final List<String> podNames;
  private final Duration converge;
  private final List<IpFamily> families;
  // node -> pod -> family -> address, for the pods that exist now
  private final Map<String, Map<String, Map<IpFamily, String>>> pods = new LinkedHashMap<>();

  StackPodCluster(Lab lab, List<String> podNames, Duration converge) {
    this.lab = lab;
    this.podNames = List.copyOf(podNames);
    this.converge = converge;
    this.families = lab.topology().clusterCidrs().stream().map(IpFamily::of).distinct().toList();
  }

  /** The cluster's families, primary (the first cluster range's) first. */
  List<IpFamily> families() {
    return families;
  }

  List<String> nodes() {
    return List.copyOf(pods.keySet());
  }

  String pod(String node, String pod, IpFamily family) {
    return pods.get(node).get(pod).get(family);
  }

  void forget(String node) {
    pods.remove(node);
  }

  int podCount() {
    return pods.values().stream().mapToInt(Map::size).sum();
  }

  /** Starts the pods on {@code node}; each must get exactly one address of each family, primary first. */
  void startPods(String node) {
    Map<String, Map<IpFamily, String>> started = new LinkedHashMap<>();
    for (String pod : podNames) {
      List<String> addresses = lab.lab("pod", "add", node, pod).strip().lines().toList();
      assertThat(addresses.stream().map(IpFamily::of).toList()).as("families of the addresses of %s/%s: %s", node, pod, addresses)
          .containsExactlyElementsOf(families);
      Map<IpFamily, String> byFamily = new EnumMap<>(IpFamily.class);
      addresses.forEach(address -> byFamily.put(IpFamily.of(address), address));
      started.put(pod, byFamily);
    }
    pods.put(node, started);
  }

  /** Every pod pings every other pod (on its own node too) by its address of every family; all failures are reported at once. */
  void assertFullMesh() throws Exception {
    List<PingMesh.Probe> probes = new ArrayList<>();
    pods.forEach((fromNode, fromPods) -> fromPods.keySet().forEach(fromPod ->
        pods.forEach((toNode, toPods) -> toPods.forEach((toPod, addresses) -> {
          if (!(fromNode.equals(toNode) && fromPod.equals(toPod))) {
            addresses.values().forEach(address -> probes.add(new PingMesh.Probe(fromNode + "-" + fromPod, toNode + "-" + toPod, address)));
          }
        }))));
    PingMesh.assertAllAnswered(lab, probes, "probes over " + families);
    System.out.printf("[e2e] full mesh over %s: %d probes between %d pods on %d nodes, all answered%n", families, probes.size(),
        podCount(), pods.size());
  }

  /**
   * For every family, every node of the lab routes (proto 202, via the peer's node address of
   * that family, out of eth0) to every other node's subnet of that family, and to nothing else.
   */
  void awaitRoutesConverged() {
    await().atMost(converge).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      List<String> nodes = List.of(lab.kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").strip().split(" "));
      for (IpFamily family : families) {
        Map<String, String> cidrs = podCidrs(family);
        assertThat(cidrs.keySet()).as("nodes with an %s subnet", family).containsExactlyInAnyOrderElementsOf(nodes);
        for (String node : nodes) {
          List<String> expected = new ArrayList<>();
          cidrs.forEach((peer, cidr) -> {
            if (!peer.equals(node)) {
              expected.add(cidr + " via " + nodeAddress(peer, family) + " dev eth0");
            }
          });
          assertThat(plainrouteRoutes(node, family)).as("plainroute's %s routes on %s", family, node)
              .containsExactlyInAnyOrderElementsOf(expected);
        }
      }
    });
  }

  /** The node's routes of protocol 202 in that family, as "DESTINATION via GATEWAY dev DEVICE" (metric and preference left out). */
  List<String> plainrouteRoutes(String node, IpFamily family) {
    return lab.exec(node, "ip", family.ipFlag(), "route", "show", "proto", "202").lines().map(StackPodCluster::routeEssentials).toList();
  }

  private static String routeEssentials(String line) {
    List<String> words = List.of(line.strip().split("\\s+"));
    StringBuilder route = new StringBuilder(words.get(0));
    for (String key : List.of("via", "dev")) {
      int at = words.indexOf(key);
      if (at >= 0 && at + 1 < words.size()) {
        route.append(' ').append(key).append(' ').append(words.get(at + 1));
      }
    }
    return route.toString();
  }

  /** The NodeNetworks' specs, by node name. */
  Map<String, Map<String, Object>> nodeNetworkSpecs() {
    Map<String, Map<String, Object>> specs = new LinkedHashMap<>();
    for (GenericKubernetesResource nn : lab.client().genericKubernetesResources("plainroute.io/v1alpha1", "NodeNetwork").list().getItems()) {
      Object spec = nn.getAdditionalProperties().get("spec");
      if (spec instanceof Map<?, ?> map) {
        @SuppressWarnings("unchecked")
        Map<String, Object> typed = (Map<String, Object>) map;
        specs.put(nn.getMetadata().getName(), typed);
      }
    }
    return specs;
  }

  /** A list field of a NodeNetwork spec ("podCIDRs"), or the single primary field it extends ("podCIDR") on older objects. */
  static List<String> perFamily(Map<String, Object> spec, String listField, String primaryField) {
    if (spec.get(listField) instanceof List<?> list) {
      return list.stream().map(String::valueOf).toList();
    }
    return spec.get(primaryField) == null ? List.of() : List.of(String.valueOf(spec.get(primaryField)));
  }

  /** Each node's subnet of that family, for the nodes that have one. */
  Map<String, String> podCidrs(IpFamily family) {
    Map<String, String> cidrs = new LinkedHashMap<>();
    nodeNetworkSpecs().forEach((node, spec) -> perFamily(spec, "podCIDRs", "podCIDR").stream()
        .filter(cidr -> IpFamily.of(cidr) == family).findFirst().ifPresent(cidr -> cidrs.put(node, cidr)));
    return cidrs;
  }

  String podCidr(String node, IpFamily family) {
    await().atMost(converge).until(() -> podCidrs(family).containsKey(node));
    return podCidrs(family).get(node);
  }

  /** The node's InternalIP of that family, as its Node object reports it. */
  String nodeAddress(String node, IpFamily family) {
    String[] addresses = lab.kubectl("get", "node", node, "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}")
        .strip().split(" ");
    return List.of(addresses).stream().filter(a -> IpFamily.of(a) == family).findFirst()
        .orElseThrow(() -> new AssertionError("node " + node + " reports no " + family + " InternalIP: " + String.join(" ", addresses)));
  }

  /** The global address of that family on eth0 of a lab host ("node01", "out"), as the kernel has it. */
  String interfaceAddress(String where, IpFamily family) {
    return lab.exec(where, "ip", family.ipFlag(), "-o", "addr", "show", "dev", "eth0", "scope", "global").strip().split("\\s+")[3]
        .split("/")[0];
  }

  boolean insideClusterRange(String cidr) {
    if (!cidr.contains("/")) {
      return false;
    }
    var subnet = new IPAddressString(cidr).getAddress();
    return lab.topology().clusterCidrs().stream().map(range -> new IPAddressString(range).getAddress())
        .anyMatch(range -> range.getIPVersion() == subnet.getIPVersion() && range.contains(subnet));
  }
}
