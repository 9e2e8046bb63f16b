package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddressString;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.Lab;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A lab together with the pods started on it, and what the e2e tests check across them. */
final class PodCluster {

  static final Duration CONVERGE = Duration.ofSeconds(60);

  private final Lab lab;
  private final List<String> podNames;
  private final Duration converge;
  // node -> pod -> address, for the pods that exist now
  private final Map<String, Map<String, String>> pods = new LinkedHashMap<>();

  PodCluster(Lab lab, List<String> podNames, Duration converge) {
    this.lab = lab;
    this.podNames = List.copyOf(podNames);
    this.converge = converge;
  }

  Map<String, Map<String, String>> pods() {
    return pods;
  }

  List<String> nodes() {
    return List.copyOf(pods.keySet());
  }

  String pod(String node, String pod) {
    return pods.get(node).get(pod);
  }

  void forget(String node) {
    pods.remove(node);
  }

  void startPods(String node) {
    Map<String, String> addresses = new LinkedHashMap<>();
    for (String pod : podNames) {
      addresses.put(pod, lab.addPod(node, pod));
    }
    pods.put(node, addresses);
  }

  int podCount() {
    return pods.values().stream().mapToInt(Map::size).sum();
  }

  /** Every pod pings every other pod (on its own node too); all failures are reported at once. */
  void assertFullMesh() throws Exception {
    List<PingMesh.Probe> probes = new ArrayList<>();
    pods.forEach((fromNode, fromPods) -> fromPods.keySet().forEach(fromPod ->
        pods.forEach((toNode, toPods) -> toPods.forEach((toPod, address) -> {
          if (!(fromNode.equals(toNode) && fromPod.equals(toPod))) {
            probes.add(new PingMesh.Probe(fromNode + "-" + fromPod, toNode + "-" + toPod, address));
          }
        }))));
    PingMesh.assertAllAnswered(lab, probes, "probes");
    System.out.printf("[e2e] full mesh: %d pod pairs over %d nodes, all reachable%n", probes.size(), pods.size());
  }

  /** Every node of the lab routes (proto 202, via the peer's address) to every other node's subnet, and to nothing else. */
  void awaitRoutesConverged() {
    await().atMost(converge).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
      Map<String, String> cidrs = podCidrs();
      List<String> nodes = lab.kubectl("get", "nodes", "-o", "jsonpath={.items[*].metadata.name}").strip().lines()
          .flatMap(l -> List.of(l.split(" ")).stream()).toList();
      assertThat(cidrs.keySet()).containsExactlyInAnyOrderElementsOf(nodes);
      for (String node : nodes) {
        List<String> expected = new ArrayList<>();
        cidrs.forEach((peer, cidr) -> {
          if (!peer.equals(node)) {
            expected.add(cidr + " via " + nodeAddress(peer) + " dev eth0");
          }
        });
        assertThat(lab.exec(node, "ip", "-4", "route", "show", "proto", "202").lines().map(String::strip).toList())
            .as("plainroute routes on %s", node).containsExactlyInAnyOrderElementsOf(expected);
      }
    });
  }

  Map<String, String> podCidrs() {
    Map<String, String> cidrs = new LinkedHashMap<>();
    for (NodeNetwork nn : lab.client().resources(NodeNetwork.class).list().getItems()) {
      if (nn.getSpec() != null && nn.getSpec().getPodCIDR() != null) {
        cidrs.put(nn.getMetadata().getName(), nn.getSpec().getPodCIDR());
      }
    }
    return cidrs;
  }

  String podCidr(String node) {
    await().atMost(converge).until(() -> podCidrs().containsKey(node));
    return podCidrs().get(node);
  }

  String nodeAddress(String node) {
    return lab.kubectl("get", "node", node, "-o", "jsonpath={.status.addresses[?(@.type==\"InternalIP\")].address}").strip();
  }

  boolean insideClusterRange(String cidr) {
    if (!cidr.contains("/")) {
      return false;
    }
    var subnet = new IPAddressString(cidr).getAddress();
    return lab.topology().clusterCidrs().stream().anyMatch(range -> new IPAddressString(range).getAddress().contains(subnet));
  }

  static List<String> nodeNames(int count) {
    return IntStream.rangeClosed(1, count).mapToObj(i -> String.format("node%02d", i)).toList();
  }
}
