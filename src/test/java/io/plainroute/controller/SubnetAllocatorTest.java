package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.controller.AllocationStore.Created;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.ipam.PoolSpec;
import io.plainroute.ipam.SubnetPool;
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

    assertThat(store.nodeNetworks.get("node01").getSpec()).isEqualTo(new NodeNetworkSpec("node01", "10.244.0.0/24", "10.244.0.1", "192.168.1.11"));
    assertThat(store.nodeNetworks.get("node02").getSpec()).isEqualTo(new NodeNetworkSpec("node02", "10.244.1.0/24", "10.244.1.1", "192.168.1.12"));
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

  private AllocationOutcome sync(ClusterNetworkSpec spec) {
    PoolSpec.Result result = PoolSpec.validate(spec.getClusterCIDRs(), spec.getNodeSubnetPrefixLength());
    Optional<SubnetPool> pool = result instanceof PoolSpec.Valid v ? Optional.of(v.pool()) : Optional.empty();
    return allocator.sync("default", spec, pool, nodes);
  }

  private static Optional<SubnetPool> pool(String... ranges) {
    return Optional.of(((PoolSpec.Valid) PoolSpec.validate(List.of(ranges), 24)).pool());
  }

  private static ClusterNetworkSpec spec(String... ranges) {
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(List.of(ranges));
    return spec;
  }

  private Node node(String name, String internalIP) {
    Node node = new NodeBuilder().withNewMetadata().withName(name).withUid(name + "-uid")
        .withCreationTimestamp("2026-11-25T10:00:0" + nodes.size() % 10 + "Z").endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIP).endAddress().endStatus()
        .build();
    nodes.add(node);
    store.liveNodes.add(name);
    return node;
  }
}
