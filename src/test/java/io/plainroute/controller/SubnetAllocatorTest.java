package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.controller.AllocationStore.Created;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.ipam.PoolSpec;
import io.plainroute.ipam.ClusterPools;
import io.plainroute.ipam.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SubnetAllocatorTest {
  private final InMemoryAllocationStore store = new InMemoryAllocationStore();
  private final SubnetAllocator allocator = new SubnetAllocator(store, new ParallelWrites(4));
  private final List<Node> nodes = new ArrayList<>();

  @Test
  void givesEveryNodeTheLowestFreeSubnetWithItsGatewayAndAddress() {
    node("node01", "192.168.1.11");
    node("node02", "192.168.1.12");
    AllocationOutcome outcome = sync(spec("10.244.0.0/16"));

    assertThat(store.nodeNetworks.get("node01").getSpec())
        .isEqualTo(new NodeNetworkSpec("node01", List.of("10.244.0.0/24"), List.of("10.244.0.1"), List.of("192.168.1.11")));
    assertThat(store.nodeNetworks.get("node02").getSpec())
        .isEqualTo(new NodeNetworkSpec("node02", List.of("10.244.1.0/24"), List.of("10.244.1.1"), List.of("192.168.1.12")));
    assertThat(store.claims).containsOnlyKeys("10.244.0.0-24", "10.244.1.0-24");
    assertThat(store.nodePodCIDRs).containsEntry("node01", "10.244.0.0/24");
    assertThat(outcome.capacity()).isEqualTo(256);
    assertThat(outcome.allocated()).isEqualTo(2);
    assertThat(outcome.free()).isEqualTo(254);
  }

  @Test
  void aSecondPassChangesNothing() {
    node("node01", "192.168.1.11");
    sync(spec("10.244.0.0/16"));
    var before = Map.copyOf(store.claims);
    var nodeNetwork = store.nodeNetworks.get("node01");
    sync(spec("10.244.0.0/16"));
    assertThat(store.claims).isEqualTo(before);
    assertThat(store.nodeNetworks).containsExactly(Map.entry("node01", nodeNetwork));
  }

  @Test
  void adoptsTheNodesOwnPodCIDRWhenItIsFreeAndInRange() {
    Node node = node("node07", "192.168.1.17");
    node.getSpec().setPodCIDR("10.244.7.0/24");
    sync(spec("10.244.0.0/16"));
    assertThat(store.podCIDROf("node07")).isEqualTo("10.244.7.0/24");
  }

  @Test
  void ignoresANodesPodCIDROutsideTheRange() {
    Node node = node("node07", "192.168.1.17");
    node.getSpec().setPodCIDR("10.99.7.0/24");
    sync(spec("10.244.0.0/16"));
    assertThat(store.podCIDROf("node07")).isEqualTo("10.244.0.0/24");
  }

  @Test
  void finishesWhatACrashLeftBetweenClaimAndNodeNetwork() {
    node("node01", "192.168.1.11");
    store.putClaim("10.244.9.0/24", "node01", "default");
    sync(spec("10.244.0.0/16"));
    assertThat(store.podCIDROf("node01")).isEqualTo("10.244.9.0/24");
    assertThat(store.claims).containsOnlyKeys("10.244.9.0-24");
  }

  @Test
  void releasesTheClaimOfAnInstanceThatLostTheRaceForTheNode() {
    node("node01", "192.168.1.11");
    store.putClaim("10.244.0.0/24", "node01", "default");
    store.putClaim("10.244.5.0/24", "node01", "default");
    store.nodeNetworks.put("node01", InMemoryAllocationStore.nodeNetwork("node01",
        new NodeNetworkSpec("node01", "10.244.0.0/24", "10.244.0.1", "192.168.1.11")));
    sync(spec("10.244.0.0/16"));
    assertThat(store.claims).containsOnlyKeys("10.244.0.0-24");
  }

  @Test
  void givesBackItsClaimAtOnceWhenAnotherInstanceWinsTheNodeMidPass() {
    InMemoryAllocationStore racing = new InMemoryAllocationStore() {
      @Override
      public Created<NodeNetwork> createNodeNetwork(Node node, NodeNetworkSpec spec, String clusterNetwork) {
        // The other instance claimed 10.244.9.0/24 and wrote the NodeNetwork first.
        putClaim("10.244.9.0/24", node.getMetadata().getName(), clusterNetwork);
        nodeNetworks.put(node.getMetadata().getName(), nodeNetwork(node.getMetadata().getName(),
            new NodeNetworkSpec(node.getMetadata().getName(), "10.244.9.0/24", "10.244.9.1", "192.168.1.11")));
        return super.createNodeNetwork(node, spec, clusterNetwork);
      }
    };
    racing.liveNodes.add("node01");
    List<Node> one = List.of(node("node01", "192.168.1.11"));
    new SubnetAllocator(racing, new ParallelWrites(4)).sync("default", spec("10.244.0.0/16"), pool("10.244.0.0/16"), one);
    assertThat(racing.claims).containsOnlyKeys("10.244.9.0-24");
    assertThat(racing.podCIDROf("node01")).isEqualTo("10.244.9.0/24");
    assertThat(racing.events).isEmpty();
  }

  @Test
  void aBurstOfNodesGetsTheLowestFreeSubnetsOneEachWhileTheirWritesRunSideBySide() {
    for (int i = 1; i <= 300; i++) {
      node(String.format("node%03d", i), "192.168.2." + i % 250);
    }
    store.putClaim("10.244.5.0/24", "node99", "default");
    store.liveNodes.add("node99");
    sync(spec("10.244.0.0/15"));

    List<String> podCIDRs = nodes.stream().map(n -> store.podCIDROf(n.getMetadata().getName())).toList();
    List<String> lowestFree = IntStream.rangeClosed(0, 300).filter(i -> i != 5)
        .mapToObj(i -> "10." + (244 + i / 256) + "." + i % 256 + ".0/24").toList();
    assertThat(podCIDRs).doesNotContainNull().doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(lowestFree);
    assertThat(store.nodePodCIDRs).hasSize(300);
  }

  @Test
  void neverHandsOutASubnetClaimedByAnotherInstance() {
    node("node01", "192.168.1.11");
    store.putClaim("10.244.0.0/24", "node99", "default");
    store.liveNodes.add("node99"); // another instance's node, not yet in our cache
    sync(spec("10.244.0.0/16"));
    assertThat(store.podCIDROf("node01")).isEqualTo("10.244.1.0/24");
    assertThat(store.claims).containsKey("10.244.0.0-24");
  }

  @Test
  void freesTheSubnetOfADeletedNodeAndReusesIt() {
    node("node01", "192.168.1.11");
    Node node02 = node("node02", "192.168.1.12");
    sync(spec("10.244.0.0/16"));
    nodes.remove(node02);
    store.liveNodes.remove("node02");
    node("node03", "192.168.1.13");
    AllocationOutcome outcome = sync(spec("10.244.0.0/16"));
    assertThat(outcome.released()).as("for the SubnetReleased event").containsExactly(new AllocationOutcome.Release("node02", "10.244.1.0/24"));
    assertThat(store.nodeNetworks).containsOnlyKeys("node01", "node03");
    assertThat(store.podCIDROf("node03")).isEqualTo("10.244.1.0/24");
    assertThat(sync(spec("10.244.0.0/16")).released()).as("released once, not every pass").isEmpty();
  }

  @Test
  void reportsExhaustionOnceAndResumesWhenARangeIsAppended() {
    for (int i = 1; i <= 3; i++) {
      node("node0" + i, "192.168.1.1" + i);
    }
    AllocationOutcome full = sync(spec("10.1.0.0/23"));
    assertThat(full.pendingNodes()).containsExactly("node03");
    assertThat(full.free()).isZero();
    sync(spec("10.1.0.0/23"));
    assertThat(store.events).filteredOn(e -> e.endsWith("SubnetPoolExhausted")).containsExactly("node03:SubnetPoolExhausted");

    AllocationOutcome grown = sync(spec("10.1.0.0/23", "10.2.0.0/23"));
    assertThat(grown.pendingNodes()).isEmpty();
    assertThat(store.podCIDROf("node03")).isEqualTo("10.2.0.0/24");
  }

  @Test
  void keepsSubnetsOutOfAllocationThatContainANodeAddress() {
    node("node01", "10.244.0.5");
    AllocationOutcome outcome = sync(spec("10.244.0.0/16"));
    assertThat(store.podCIDROf("node01")).isEqualTo("10.244.1.0/24");
    assertThat(outcome.problems()).singleElement().satisfies(p -> {
      assertThat(p.field()).isEqualTo("spec.clusterCIDRs[0]");
      assertThat(p.message()).contains("contains the address 10.244.0.5 of node node01");
    });
  }

  @Test
  void anInvalidSpecAllocatesNothingAndKeepsWhatExists() {
    node("node01", "192.168.1.11");
    sync(spec("10.244.0.0/16"));
    node("node02", "192.168.1.12");
    allocator.sync("default", spec("10.244.0.0/16", "10.244.3.0/24"), Optional.empty(), nodes);
    assertThat(store.nodeNetworks).containsOnlyKeys("node01");
  }

  @Test
  void followsAChangedNodeAddressAndSelectsNodesByLabel() {
    Node node = node("node01", "192.168.1.11");
    node("node02", "192.168.1.12").getMetadata().setLabels(Map.of("pool", "other"));
    ClusterNetworkSpec spec = spec("10.244.0.0/16");
    spec.setNodeSelector(Map.of("pool", "plain"));
    node.getMetadata().setLabels(Map.of("pool", "plain"));
    sync(spec);
    node.getStatus().getAddresses().get(0).setAddress("192.168.1.21");
    sync(spec);
    assertThat(store.nodeNetworks).containsOnlyKeys("node01");
    assertThat(store.nodeNetworks.get("node01").getSpec().getNodeIP()).isEqualTo("192.168.1.21");
  }

  @Test
  void aDualStackNodeGetsOneSubnetOfEachFamilyPrimaryFirst() {
    node("node01", "192.168.1.11", "fd00:1::11");
    node("node02", "192.168.1.12");
    AllocationOutcome outcome = sync(spec("10.244.0.0/16", "fd00:10:244::/56"));

    assertThat(store.nodeNetworks.get("node01").getSpec()).isEqualTo(new NodeNetworkSpec("node01",
        List.of("10.244.0.0/24", "fd00:10:244::/64"), List.of("10.244.0.1", "fd00:10:244::1"), List.of("192.168.1.11", "fd00:1::11")));
    // A node without an IPv6 address still gets its IPv6 subnet; peers route to it once it reports one.
    assertThat(store.nodeNetworks.get("node02").getSpec().getNodeIPs()).containsExactly("192.168.1.12", "");
    assertThat(store.nodeNetworks.get("node02").getSpec().getPodCIDRs()).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");
    assertThat(store.claims).containsOnlyKeys("10.244.0.0-24", "10.244.1.0-24",
        "fd00-0010-0244-0000-0000-0000-0000-0000-64", "fd00-0010-0244-0001-0000-0000-0000-0000-64");
    // Node.spec.podCIDRs in the cluster's family order, podCIDR the first.
    assertThat(store.nodePodCIDRs).containsEntry("node01", "10.244.0.0/24,fd00:10:244::/64");
    assertThat(outcome.families()).extracting(AllocationOutcome.FamilyOutcome::family).containsExactly(Family.IPv4, Family.IPv6);
    assertThat(outcome.families().get(1).capacity()).isEqualTo(256);
    assertThat(outcome.families().get(1).allocated()).isEqualTo(2);
  }

  @Test
  void anIPv6OnlyClusterPutsIPv6InThePrimaryFields() {
    node("node01", "192.168.1.11", "fd00:1::11");
    sync(spec("fd00:10:244::/48"));
    assertThat(store.nodeNetworks.get("node01").getSpec())
        .isEqualTo(new NodeNetworkSpec("node01", List.of("fd00:10:244::/64"), List.of("fd00:10:244::1"), List.of("fd00:1::11")));
    assertThat(store.nodeNetworks.get("node01").getSpec().getPodCIDR()).isEqualTo("fd00:10:244::/64");
  }

  @Test
  void aFamilyAppendedToARunningClusterReachesEveryNodeWithoutMovingAnything() {
    node("node01", "192.168.1.11", "fd00:1::11");
    node("node02", "192.168.1.12", "fd00:1::12");
    // node01's NodeNetwork was written before the lists existed.
    store.putClaim("10.244.7.0/24", "node01", "default");
    store.nodeNetworks.put("node01", InMemoryAllocationStore.nodeNetwork("node01",
        new NodeNetworkSpec("node01", "10.244.7.0/24", "10.244.7.1", "192.168.1.11")));
    sync(spec("10.244.0.0/16"));
    assertThat(store.nodeNetworks.get("node01").getSpec().getPodCIDRs()).as("lists added on the next pass").containsExactly("10.244.7.0/24");
    String node02 = store.podCIDROf("node02");

    sync(spec("10.244.0.0/16", "fd00:10:244::/56"));
    assertThat(store.nodeNetworks.get("node01").getSpec()).isEqualTo(new NodeNetworkSpec("node01",
        List.of("10.244.7.0/24", "fd00:10:244::/64"), List.of("10.244.7.1", "fd00:10:244::1"), List.of("192.168.1.11", "fd00:1::11")));
    assertThat(store.nodeNetworks.get("node02").getSpec().getPodCIDRs()).containsExactly(node02, "fd00:10:244:1::/64");
    assertThat(store.claims).hasSize(4);
  }

  @Test
  void exhaustionOfOneFamilyIsReportedForThatFamilyAlone() {
    for (int i = 1; i <= 3; i++) {
      node("node0" + i, "192.168.1.1" + i);
    }
    AllocationOutcome outcome = sync(spec("10.244.0.0/16", "fd00:10:244::/63"));
    assertThat(outcome.families().get(0).pendingNodes()).isEmpty();
    assertThat(outcome.families().get(1).pendingNodes()).containsExactly("node03");
    assertThat(outcome.families().get(1).free()).isZero();
    assertThat(store.nodeNetworks.get("node03").getSpec().getPodCIDRs()).containsExactly("10.244.2.0/24");
    assertThat(store.events).containsExactly("node03:SubnetPoolExhausted");

    AllocationOutcome grown = sync(spec("10.244.0.0/16", "fd00:10:244::/63", "fd00:20::/56"));
    assertThat(grown.pendingNodes()).isEmpty();
    assertThat(store.nodeNetworks.get("node03").getSpec().getPodCIDRs()).containsExactly("10.244.2.0/24", "fd00:20::/64");
  }

  private AllocationOutcome sync(ClusterNetworkSpec spec) {
    PoolSpec.Result result = PoolSpec.validate(spec.getClusterCIDRs(), spec.getNodeSubnetPrefixLength(), spec.getNodeSubnetPrefixLengthIPv6());
    Optional<ClusterPools> pools = result instanceof PoolSpec.Valid v ? Optional.of(v.pools()) : Optional.empty();
    assertThat(pools).as("%s", result).isPresent();
    return allocator.sync("default", spec, pools, nodes);
  }

  private static Optional<ClusterPools> pool(String... ranges) {
    return Optional.of(((PoolSpec.Valid) PoolSpec.validate(List.of(ranges), 24)).pools());
  }

  private static ClusterNetworkSpec spec(String... ranges) {
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(List.of(ranges));
    return spec;
  }

  private Node node(String name, String... internalIPs) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).withUid(name + "-uid")
        .withCreationTimestamp("2026-11-25T10:00:0" + nodes.size() % 10 + "Z").endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().endStatus()
        .build();
    for (String ip : internalIPs) {
      node.getStatus().getAddresses().add(new io.fabric8.kubernetes.api.model.NodeAddress(ip, "InternalIP"));
    }
    nodes.add(node);
    store.liveNodes.add(name);
    return node;
  }
}
