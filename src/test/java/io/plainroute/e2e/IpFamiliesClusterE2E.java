package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The product end to end on a lab with IPv6 (dual-stack, or IPv6 only): the lab of
 * {@link LabClusterE2E} with an IPv6 unique local LAN beside or instead of the IPv4 one, every
 * node with an address of each family, pods attached by the reference CNI plugins with the
 * agent's conflist and getting an address of each family. Every check of the IPv4 suite that
 * depends on the family is made for each family: one subnet, gateway and route per peer per
 * family, pods reaching each other by each address with their source kept, traffic to the
 * outside host masqueraded to the node's address of that family, nodes joining and leaving with
 * the routes of every family. The tests run in order (the later ones change the cluster).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class IpFamiliesClusterE2E {

  private static final Duration CONVERGE = PodCluster.CONVERGE;

  private Lab lab;
  private StackPodCluster cluster;

  /** The LAN is one CIDR per family, comma-joined; the first cluster range's family is the primary one. */
  abstract Lab.Topology topology();

  /** The IPv6 node subnet size (ClusterNetwork.spec.nodeSubnetPrefixLengthIPv6). */
  abstract int nodePrefixLengthIPv6();

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    Instant begin = Instant.now();
    lab = Lab.up(topology(), "--node-prefix6", Integer.toString(nodePrefixLengthIPv6()));
    cluster = new StackPodCluster(lab, List.of("pod1", "pod2"), CONVERGE);
    for (String node : PodCluster.nodeNames(topology().nodes())) {
      cluster.startPods(node);
    }
    System.out.printf("[e2e] lab %s (%s, %d nodes, %s) up with %d pods in %d s%n", lab.name(), topology().lan(),
        topology().nodes(), topology().clusterCidrs(), cluster.podCount(), Duration.between(begin, Instant.now()).toSeconds());
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  private int nodePrefixLength(IpFamily family) {
    return family == IpFamily.IPV6 ? nodePrefixLengthIPv6() : topology().nodePrefixLength();
  }

  @Test
  @Order(1)
  void everyNodeNetworkHasASubnetGatewayAndNodeAddressOfEachFamilyPrimaryFirst() {
    // The other family's subnet, gateway and node address are the wide view's SECONDARY columns.
    String table = lab.kubectl("get", "nodenetworks", "-o", "wide");
    System.out.printf("[e2e] kubectl get nodenetworks -o wide%n%s", table);
    Map<String, Map<String, Object>> specs = cluster.nodeNetworkSpecs();
    // kubectl shows every family's subnet, gateway and node address on the node's line.
    specs.forEach((node, spec) -> assertThat(table.lines().filter(l -> l.startsWith(node + " ")).findFirst().orElseThrow())
        .as("kubectl's line for %s", node).contains(StackPodCluster.perFamily(spec, "podCIDRs", "podCIDR"))
        .contains(StackPodCluster.perFamily(spec, "gateways", "gateway")).contains(StackPodCluster.perFamily(spec, "nodeIPs", "nodeIP")));
    assertThat(specs.keySet()).containsExactlyInAnyOrderElementsOf(cluster.nodes());
    List<String> subnets = new ArrayList<>();
    specs.forEach((node, spec) -> {
      List<String> podCidrs = StackPodCluster.perFamily(spec, "podCIDRs", "podCIDR");
      List<String> gateways = StackPodCluster.perFamily(spec, "gateways", "gateway");
      List<String> nodeIps = StackPodCluster.perFamily(spec, "nodeIPs", "nodeIP");
      assertThat(podCidrs.stream().map(IpFamily::of).toList()).as("families of %s's podCIDRs %s", node, podCidrs)
          .containsExactlyElementsOf(cluster.families());
      assertThat(spec.get("podCIDR")).as("%s: podCIDR is the primary podCIDRs[0]", node).isEqualTo(podCidrs.get(0));
      assertThat(spec.get("gateway")).as("%s: gateway is gateways[0]", node).isEqualTo(gateways.get(0));
      assertThat(spec.get("nodeIP")).as("%s: nodeIP is nodeIPs[0]", node).isEqualTo(nodeIps.get(0));
      assertThat(gateways).hasSameSizeAs(podCidrs);
      assertThat(nodeIps).hasSameSizeAs(podCidrs);
      for (int i = 0; i < podCidrs.size(); i++) {
        String cidr = podCidrs.get(i);
        IpFamily family = IpFamily.of(cidr);
        assertThat(cluster.insideClusterRange(cidr)).as("%s subnet %s of %s inside %s", family, cidr, node, topology().clusterCidrs())
            .isTrue();
        assertThat(cidr).endsWith("/" + nodePrefixLength(family));
        assertThat(gateways.get(i)).as("%s gateway of %s", family, node).isEqualTo(IpFamily.gatewayOf(cidr));
        assertThat(nodeIps.get(i)).as("%s node address of %s", family, node).isEqualTo(cluster.interfaceAddress(node, family))
            .isEqualTo(cluster.nodeAddress(node, family));
        subnets.add(cidr);
      }
    });
    assertThat(subnets).doesNotHaveDuplicates();
    for (String node : cluster.nodes()) {
      assertThat(lab.kubectl("get", "nodenetwork", node, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}"))
          .as("%s Ready", node).isEqualTo("True");
    }
  }

  @Test
  @Order(2)
  void everyNodeRoutesEachFamilyToEveryPeerViaThePeersAddressOfThatFamilyAndItsBridgeHoldsEachGateway() {
    cluster.awaitRoutesConverged();
    for (String node : cluster.nodes()) {
      for (IpFamily family : cluster.families()) {
        String cidr = cluster.podCidr(node, family);
        assertThat(lab.exec(node, "ip", family.ipFlag(), "-o", "addr", "show", "dev", "cni0"))
            .as("%s gateway on %s's bridge", family, node)
            .contains(" " + IpFamily.gatewayOf(cidr) + "/" + new IPAddressString(cidr).getNetworkPrefixLength() + " ");
      }
    }
    String first = cluster.nodes().get(0);
    for (IpFamily family : cluster.families()) {
      System.out.printf("[e2e] ip %s route on %s%n%s", family.ipFlag(), first, lab.exec(first, "ip", family.ipFlag(), "route"));
    }
  }

  @Test
  @Order(3)
  void everyPodReachesEveryOtherPodByItsOwnAddressOfEachFamily() throws Exception {
    List<String> nodes = cluster.nodes();
    IpFamily last = cluster.families().get(cluster.families().size() - 1);
    System.out.printf("[e2e] %s ping from %s/pod1 to %s/pod1%n%s", last, nodes.get(0), nodes.get(1),
        lab.exec(nodes.get(0) + "-pod1", "ping", "-c", "3", "-i", "0.2", "-W", "2", cluster.pod(nodes.get(1), "pod1", last)));
    cluster.assertFullMesh();
  }

  @Test
  @Order(4)
  void theReceivingPodSeesTheSendingPodsOwnAddressOfEachFamily() {
    List<String> nodes = cluster.nodes();
    for (String node : nodes) {
      lab.lab("echo-server", node + "-pod1");
    }
    for (IpFamily family : cluster.families()) {
      for (String from : nodes) {
        for (String to : nodes) {
          if (!from.equals(to)) {
            assertThat(lab.sourceSeenBy(from + "-pod1", cluster.pod(to, "pod1", family)))
                .as("%s source address seen by %s/pod1 for a datagram from %s/pod1", family, to, from)
                .isEqualTo(cluster.pod(from, "pod1", family));
          }
        }
      }
    }
  }

  @Test
  @Order(5)
  void trafficLeavingTheClusterIsMasqueradedToTheNodesAddressOfEachFamily() {
    lab.lab("echo-server", "out");
    for (IpFamily family : cluster.families()) {
      String outside = cluster.interfaceAddress("out", family);
      // The outside host has no route to any pod subnet: answers reach pods only through the
      // node's connection tracking, i.e. because the node masqueraded.
      assertThat(lab.exec("out", "ip", family.ipFlag(), "route").lines())
          .allSatisfy(route -> assertThat(cluster.insideClusterRange(route.split("\\s+")[0])).as(route).isFalse());
      for (String node : cluster.nodes()) {
        assertThat(lab.sourceSeenBy(node + "-pod2", outside)).as("%s source seen outside for %s/pod2", family, node)
            .isEqualTo(cluster.nodeAddress(node, family));
        assertThat(lab.ping(node + "-pod1", outside, 1)).as("%s/pod1 pings the outside host at %s", node, outside).isTrue();
      }
    }
  }

  @Test
  @Order(6)
  void aRouteOfEachFamilyDeletedByHandComesBack() {
    List<String> nodes = cluster.nodes();
    String node = nodes.get(0);
    String peer = nodes.get(nodes.size() - 1);
    for (IpFamily family : cluster.families()) {
      String subnet = cluster.podCidr(peer, family);
      String via = "via " + cluster.nodeAddress(peer, family);
      Instant deleted = Instant.now();
      lab.exec(node, "ip", family.ipFlag(), "route", "del", subnet);
      await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100))
          .until(() -> lab.exec(node, "ip", family.ipFlag(), "route", "show", subnet).contains(via));
      System.out.printf("[e2e] %s route %s on %s deleted by hand, back after %d ms%n", family, subnet, node,
          Duration.between(deleted, Instant.now()).toMillis());
      assertThat(lab.ping(node + "-pod1", cluster.pod(peer, "pod1", family), 2)).isTrue();
    }
  }

  @Test
  @Order(7)
  void aJoiningNodeIsRoutedToInEachFamilyByEveryNodeAndItsPodsAreReachable() throws Exception {
    String joining = "node" + String.format("%02d", topology().nodes() + 1);
    Instant registered = Instant.now();
    lab.lab("node", "add", joining);
    cluster.awaitRoutesConverged();
    for (IpFamily family : cluster.families()) {
      System.out.printf("[e2e] %s joined: every node routes %s to %s after %d ms%n", joining, family,
          cluster.podCidr(joining, family), Duration.between(registered, Instant.now()).toMillis());
    }
    cluster.startPods(joining);
    cluster.assertFullMesh();
  }

  @Test
  @Order(8)
  void aDeletedNodesRoutesOfEachFamilyDisappearEverywhereAndItsSubnetsAreReleased() throws Exception {
    String leaving = cluster.nodes().get(1);
    List<String> freed = cluster.families().stream().map(family -> cluster.podCidr(leaving, family)).toList();
    Instant deleted = Instant.now();
    lab.lab("node", "delete", leaving);
    cluster.forget(leaving);
    cluster.awaitRoutesConverged();
    System.out.printf("[e2e] %s deleted: its routes %s gone from every node after %d ms%n", leaving, freed,
        Duration.between(deleted, Instant.now()).toMillis());
    await().atMost(CONVERGE).until(() -> lab.client().resources(NodeNetwork.class).withName(leaving).get() == null);
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(claimedSubnets()).as("subnets claimed after %s left", leaving)
        .doesNotContainAnyElementsOf(freed));

    String next = "node" + String.format("%02d", topology().nodes() + 2);
    lab.lab("node", "add", next);
    cluster.awaitRoutesConverged();
    cluster.startPods(next);
    cluster.assertFullMesh();
  }

  private List<String> claimedSubnets() {
    return lab.client().genericKubernetesResources("plainroute.io/v1alpha1", "SubnetClaim").list().getItems().stream()
        .map(GenericKubernetesResource::getAdditionalProperties).map(p -> p.get("spec"))
        .filter(Map.class::isInstance).map(spec -> String.valueOf(((Map<?, ?>) spec).get("cidr"))).toList();
  }
}
