package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.BadInputTable;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.SubnetClaimSpec;
import io.plainroute.ipam.Cidrs;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rows of docs/bad-input.md whose outcome is plainroute's to give (test column
 * {@code controller}): each a scenario against a real API server with the garbage collector and
 * the packaged controller, on one cluster with two witness nodes. After every row the invariants
 * are checked: the witnesses' NodeNetworks and SubnetClaims are as they were, and no two
 * NodeNetworks overlap.
 */
@WithControlPlane
class BadInputScenariosIT {
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final List<String> RANGES = List.of("10.244.0.0/16");
  private static final String CN = "default";

  private static ControlPlane plane;
  private static Cluster cluster;
  private static ControllerHarness.Controller controller;
  private static final Map<String, NodeNetworkSpec> WITNESSES = new LinkedHashMap<>();

  /** A row's scenario; it removes the nodes it adds. */
  @FunctionalInterface
  interface Scenario {
    void run() throws Exception;
  }

  static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("cn-deleted-redeclared", BadInputScenariosIT::clusterNetworkDeletedAndRedeclared);
    SCENARIOS.put("cn-nodeselector-narrowed", BadInputScenariosIT::nodeSelectorNarrowed);
    SCENARIOS.put("nn-nodename-edited", BadInputScenariosIT::nodeNameEdited);
    SCENARIOS.put("nn-nodeip-edited", BadInputScenariosIT::nodeIPEdited);
    SCENARIOS.put("nn-deleted", BadInputScenariosIT::nodeNetworkDeleted);
    SCENARIOS.put("nn-owner-removed", () -> metadataRemovedThenNodeDeleted("owner-removed", "{\"metadata\":{\"ownerReferences\":null}}"));
    SCENARIOS.put("nn-labels-removed", () -> metadataRemovedThenNodeDeleted("labels-removed", "{\"metadata\":{\"labels\":null}}"));
    SCENARIOS.put("nn-finalizer-added", BadInputScenariosIT::finalizerHoldsTheSubnet);
    SCENARIOS.put("nn-created-for-no-node", BadInputScenariosIT::nodeNetworkForNoNode);
    SCENARIOS.put("nn-created-taken-subnet", () -> nodeNetworkWithATakenSubnet("intruder", 24));
    SCENARIOS.put("nn-created-overlapping-subnet", () -> nodeNetworkWithATakenSubnet("overlapper", 23));
    SCENARIOS.put("sc-deleted", BadInputScenariosIT::claimDeleted);
    SCENARIOS.put("sc-created-for-no-node", () -> strayClaim("10.244.251.0-24", "10.244.251.0/24", "nobody"));
    SCENARIOS.put("sc-created-extra", () -> strayClaim("10.244.252.0-24", "10.244.252.0/24", "witness1"));
    SCENARIOS.put("sc-created-garbage", () -> strayClaim("garbage", "banana", "witness1"));
    SCENARIOS.put("node-podcidr-outside", () -> podCIDRNotUsed("podcidr-outside", "10.99.0.0/24", "lies outside spec.clusterCIDRs"));
    SCENARIOS.put("node-podcidr-taken", () -> podCIDRNotUsed("podcidr-taken", WITNESSES.get("witness1").getPodCIDR(), "is held by another node"));
    SCENARIOS.put("node-podcidr-wrong-size", () -> podCIDRNotUsed("podcidr-size", "10.244.90.0/25", "is not a /24 of spec.clusterCIDRs"));
    SCENARIOS.put("node-no-internalip", () -> noNodeIP("no-address", List.of(), "(no addresses)"));
    SCENARIOS.put("node-ipv6-only", () -> noNodeIP("ipv6-only", List.of(internalIP("fd00::21")), "(InternalIP fd00::21)"));
    SCENARIOS.put("node-internalip-loopback", () -> noNodeIP("loopback", List.of(internalIP("127.0.0.1")), "(InternalIP 127.0.0.1)"));
    SCENARIOS.put("node-internalip-garbage", () -> noNodeIP("garbage-ip", List.of(internalIP("not-an-ip")), "(InternalIP not-an-ip)"));
    SCENARIOS.put("node-duplicate-internalip", BadInputScenariosIT::duplicateInternalIP);
    SCENARIOS.put("nn-conflict-removed", BadInputScenariosIT::conflictConditionRemoved);
  }

  @BeforeAll
  static void startWithTwoWitnesses(ControlPlane controlPlane) {
    plane = controlPlane;
    cluster = new Cluster(plane.client());
    controller = ControllerHarness.start(plane, "controller", "plainroute-controller");
    cluster.declare(CN, RANGES, 24);
    cluster.addNode("witness1", "192.168.1.11");
    cluster.addNode("witness2", "192.168.1.12");
    await().atMost(SOON).until(() -> cluster.nodeNetworks().size() == 2);
    cluster.nodeNetworks().forEach(nn -> WITNESSES.put(nn.getMetadata().getName(), nn.getSpec()));
  }

  @AfterAll
  static void stopController() {
    if (controller != null) {
      controller.close();
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRowPlainrouteRepairsOrReports() {
    return BadInputTable.rows().stream().filter(row -> row.test().equals("controller"))
        .map(row -> DynamicTest.dynamicTest(row.toString(), () -> {
          assertThat(SCENARIOS).as("a scenario for row %s", row.id()).containsKey(row.id());
          SCENARIOS.get(row.id()).run();
          assertInvariants();
        }));
  }

  /** Nothing a working node uses changed; no two nodes hold one subnet. */
  private static void assertInvariants() throws Exception {
    Map<String, NodeNetworkSpec> now = new LinkedHashMap<>();
    cluster.nodeNetworks().forEach(nn -> now.put(nn.getMetadata().getName(), nn.getSpec()));
    WITNESSES.forEach((name, spec) -> assertThat(now.get(name)).as("witness %s's NodeNetwork", name).isEqualTo(spec));
    WITNESSES.forEach((name, spec) -> assertThat(cluster.claims()).as("witness %s's claim", name)
        .anySatisfy(c -> assertThat(c.getSpec().getNodeName() + " " + c.getSpec().getCidr()).isEqualTo(name + " " + spec.getPodCIDR())));
    List<IPAddress> subnets = new ArrayList<>();
    for (NodeNetworkSpec spec : now.values()) {
      subnets.add(Cidrs.parseNetwork(spec.getPodCIDR()));
    }
    subnets.sort(Comparator.comparing(s -> s.getLower().getValue()));
    for (int i = 1; i < subnets.size(); i++) {
      assertThat(subnets.get(i - 1).overlaps(subnets.get(i))).as("%s overlaps %s", subnets.get(i - 1), subnets.get(i)).isFalse();
    }
  }

  private static void clusterNetworkDeletedAndRedeclared() {
    plane.client().resources(ClusterNetwork.class).withName(CN).delete();
    await().atMost(SOON).until(() -> cluster.clusterNetwork(CN) == null);
    cluster.declare(CN, RANGES, 24);
    await().atMost(SOON).until(() -> cluster.conditionIs(CN, Conditions.READY, Conditions.TRUE));
  }

  private static void nodeSelectorNarrowed() {
    setNodeSelector(Map.of("pool", "blue"));
    cluster.addNode("sel-other", "192.168.1.41");
    cluster.addNode("sel-blue", "192.168.1.42", Map.of("pool", "blue"), null);
    // One pass sees both (the unselected node registered first) and serves only the selected one.
    await().atMost(SOON).until(() -> cluster.nodeNetwork("sel-blue").isPresent());
    assertThat(cluster.nodeNetwork("sel-other")).isEmpty();
    setNodeSelector(Map.of());
    await().atMost(SOON).until(() -> cluster.nodeNetwork("sel-other").isPresent());
    removeNodes("sel-other", "sel-blue");
  }

  private static void setNodeSelector(Map<String, String> selector) {
    // The controller writes the ClusterNetwork's status meanwhile: an edit that meets its write
    // (409, the object has been modified) is made again on the object as it is now.
    await().atMost(SOON).ignoreExceptionsMatching(e -> e instanceof KubernetesClientException k && k.getCode() == 409).until(() -> {
      plane.client().resources(ClusterNetwork.class).withName(CN).edit(cn -> {
        cn.getSpec().setNodeSelector(new LinkedHashMap<>(selector));
        return cn;
      });
      return true;
    });
    await().atMost(SOON).until(() -> {
      ClusterNetwork cn = cluster.clusterNetwork(CN);
      return cn.getStatus() != null && cn.getMetadata().getGeneration().equals(cn.getStatus().getObservedGeneration());
    });
  }

  private static void nodeNameEdited() {
    NodeNetwork before = nodeWithSubnet("name-edited", "192.168.1.21");
    patchNodeNetwork("name-edited", "{\"spec\":{\"nodeName\":\"node99\"}}");
    await().atMost(SOON).until(() -> "name-edited".equals(cluster.nodeNetwork("name-edited").orElseThrow().getSpec().getNodeName()));
    await().atMost(SOON).untilAsserted(() -> assertThat(events("NodeNetwork", "name-edited"))
        .anySatisfy(e -> assertThat(e).startsWith("Warning SpecReverted: spec of NodeNetwork name-edited was changed by someone else (nodeName=node99)")));
    assertThat(cluster.nodeNetwork("name-edited").orElseThrow().getSpec()).isEqualTo(before.getSpec());
    removeNodes("name-edited");
  }

  private static void nodeIPEdited() {
    nodeWithSubnet("ip-edited", "192.168.1.22");
    // The API server takes the edit only with nodeIPs[0] edited alike (an IPv4-only cluster: one entry).
    assertThat(cluster.nodeNetwork("ip-edited").orElseThrow().getSpec().getNodeIPs()).containsExactly("192.168.1.22");
    patchNodeNetwork("ip-edited", "{\"spec\":{\"nodeIP\":\"192.168.1.99\",\"nodeIPs\":[\"192.168.1.99\"]}}");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("ip-edited").orElseThrow().getSpec().allNodeIPs().equals(List.of("192.168.1.22")));
    assertThat(cluster.nodeNetwork("ip-edited").orElseThrow().getSpec().getNodeIP()).isEqualTo("192.168.1.22");
    removeNodes("ip-edited");
  }

  private static void nodeNetworkDeleted() {
    NodeNetwork before = nodeWithSubnet("nn-deleted", "192.168.1.23");
    plane.client().resource(before).delete();
    await().atMost(SOON).until(() -> cluster.nodeNetwork("nn-deleted")
        .filter(nn -> !nn.getMetadata().getUid().equals(before.getMetadata().getUid())).isPresent());
    assertThat(cluster.nodeNetwork("nn-deleted").orElseThrow().getSpec()).isEqualTo(before.getSpec());
    removeNodes("nn-deleted");
  }

  private static void metadataRemovedThenNodeDeleted(String node, String patch) {
    NodeNetwork nn = nodeWithSubnet(node, "192.168.1.24");
    patchNodeNetwork(node, patch);
    removeNodes(node);
    await().atMost(SOON).until(() -> cluster.claims().stream().noneMatch(c -> c.getSpec().getCidr().equals(nn.getSpec().getPodCIDR())));
  }

  private static void finalizerHoldsTheSubnet() {
    NodeNetwork held = nodeWithSubnet("finalized", "192.168.1.25");
    patchNodeNetwork("finalized", "{\"metadata\":{\"finalizers\":[\"example.com/hold\"]}}");
    cluster.deleteNode("finalized");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("finalized").map(nn -> nn.getMetadata().getDeletionTimestamp() != null).orElse(false));
    NodeNetwork next = nodeWithSubnet("after-finalized", "192.168.1.26");
    assertThat(next.getSpec().getPodCIDR()).as("the subnet of a terminating NodeNetwork stays taken").isNotEqualTo(held.getSpec().getPodCIDR());
    patchNodeNetwork("finalized", "{\"metadata\":{\"finalizers\":null}}");
    await().atMost(SOON).until(() -> cluster.nodeNetwork("finalized").isEmpty());
    removeNodes("after-finalized");
  }

  private static void nodeNetworkForNoNode() {
    NodeNetwork ghost = new NodeNetwork();
    ghost.setMetadata(new ObjectMetaBuilder().withName("ghost").build());
    ghost.setSpec(new NodeNetworkSpec("ghost", "10.244.250.0/24", "10.244.250.1", "192.168.1.27"));
    plane.client().resource(ghost).create();
    await().atMost(SOON).until(() -> cluster.nodeNetwork("ghost").isEmpty());
  }

  /**
   * A hand-made NodeNetwork over witness1's subnet (the same one, or a wider one around it), written
   * while the controller is down, so that no pass deletes it before its Node exists.
   */
  private static void nodeNetworkWithATakenSubnet(String node, int prefix) throws Exception {
    NodeNetworkSpec taken = WITNESSES.get("witness1");
    IPAddress subnet = Cidrs.parseNetwork(taken.getPodCIDR()).toPrefixBlock(prefix);
    controller.close();
    NodeNetwork intruder = new NodeNetwork();
    intruder.setMetadata(new ObjectMetaBuilder().withName(node).build());
    intruder.setSpec(new NodeNetworkSpec(node, subnet.toCanonicalString(), Cidrs.gateway(subnet).toCanonicalString(), "192.168.1.28"));
    plane.client().resource(intruder).create();
    cluster.addNode(node, "192.168.1.28");
    controller = ControllerHarness.start(plane, "controller-after-" + node, "plainroute-controller");
    IPAddress held = Cidrs.parseNetwork(taken.getPodCIDR());
    await().atMost(SOON).until(() -> cluster.nodeNetwork(node).filter(nn -> !overlaps(nn.getSpec().getPodCIDR(), held)).isPresent());
    await().atMost(SOON).untilAsserted(() -> assertThat(events("Node", node)).anySatisfy(e -> assertThat(e)
        .startsWith("Warning SubnetClaimedByAnotherNode: NodeNetwork " + node + " named subnet " + subnet.toCanonicalString() + ", which overlaps "
            + taken.getPodCIDR() + " held by node witness1")));
    removeNodes(node);
  }

  private static boolean overlaps(String cidr, IPAddress subnet) {
    try {
      return Cidrs.parseNetwork(cidr).overlaps(subnet);
    } catch (Cidrs.InvalidCidrException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void claimDeleted() {
    NodeNetwork nn = nodeWithSubnet("claim-deleted", "192.168.1.29");
    SubnetClaim claim = claimOf(nn.getSpec().getPodCIDR()).orElseThrow();
    plane.client().resource(claim).delete();
    await().atMost(SOON).until(() -> claimOf(nn.getSpec().getPodCIDR())
        .filter(c -> !c.getMetadata().getUid().equals(claim.getMetadata().getUid()) && c.getSpec().getNodeName().equals("claim-deleted")).isPresent());
    removeNodes("claim-deleted");
  }

  private static void strayClaim(String name, String cidr, String node) {
    SubnetClaim claim = new SubnetClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName(name).build());
    claim.setSpec(new SubnetClaimSpec(cidr, node, CN));
    plane.client().resource(claim).create();
    await().atMost(SOON).until(() -> plane.client().resources(SubnetClaim.class).withName(name).get() == null);
  }

  private static void podCIDRNotUsed(String node, String podCIDR, String why) {
    cluster.addNode(node, "192.168.1.30", Map.of(), podCIDR);
    await().atMost(SOON).until(() -> cluster.nodeNetwork(node).isPresent());
    String given = cluster.nodeNetwork(node).orElseThrow().getSpec().getPodCIDR();
    assertThat(given).isNotEqualTo(podCIDR).startsWith("10.244.").endsWith("/24");
    await().atMost(SOON).untilAsserted(() -> assertThat(events("Node", node)).anySatisfy(e -> assertThat(e)
        .startsWith("Warning PodCIDRNotUsed: Node.spec.podCIDR " + podCIDR + " " + why + " of ClusterNetwork default, "
            + "so the pods on this node get IPv4 addresses from " + given)));
    removeNodes(node);
  }

  private static void noNodeIP(String node, List<NodeAddress> addresses, String reported) {
    // Registered with its addresses in one write, as a kubelet does: the first pass sees them.
    plane.client().nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
        .withNewStatus().withAddresses(addresses).endStatus().build()).create();
    await().atMost(SOON).until(() -> cluster.nodeNetwork(node).isPresent());
    assertThat(cluster.nodeNetwork(node).orElseThrow().getSpec().getNodeIP()).isEmpty();
    await().atMost(SOON).untilAsserted(() -> assertThat(events("Node", node)).anySatisfy(e -> assertThat(e)
        .startsWith("Warning NoNodeIP: Node " + node + " reports no unicast IPv4 InternalIP or ExternalIP " + reported)
        .contains("give the node an IPv4 address")));
    removeNodes(node);
  }

  private static void duplicateInternalIP() {
    nodeWithSubnet("duplicate-ip", WITNESSES.get("witness1").getNodeIP());
    await().atMost(SOON).until(() -> reason("duplicate-ip", Conditions.CONFLICT).equals("DuplicateNodeIP")
        && reason("witness1", Conditions.READY).equals("DuplicateNodeIP"));
    removeNodes("duplicate-ip");
    await().atMost(SOON).until(() -> reason("witness1", Conditions.CONFLICT).equals("NoConflict"));
  }

  private static void conflictConditionRemoved() {
    nodeWithSubnet("clone-a", "192.168.1.51");
    nodeWithSubnet("clone-b", "192.168.1.51");
    await().atMost(SOON).until(() -> reason("clone-a", Conditions.CONFLICT).equals("DuplicateNodeIP"));
    await().atMost(SOON).ignoreExceptions().untilAsserted(() -> {
      NodeNetwork nn = cluster.nodeNetwork("clone-a").orElseThrow();
      nn.getStatus().getConditions().removeIf(c -> Conditions.CONFLICT.equals(c.getType()));
      plane.client().resource(nn).updateStatus();
    });
    await().atMost(SOON).until(() -> reason("clone-a", Conditions.CONFLICT).equals("DuplicateNodeIP"));
    removeNodes("clone-a", "clone-b");
  }

  private static String reason(String node, String type) {
    return cluster.nodeNetwork(node).map(NodeNetwork::getStatus).flatMap(s -> s.getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst()).map(Condition::getReason).orElse("");
  }

  private static NodeNetwork nodeWithSubnet(String node, String ip) {
    cluster.addNode(node, ip);
    await().atMost(SOON).until(() -> cluster.nodeNetwork(node).isPresent() && claimOf(cluster.nodeNetwork(node).get().getSpec().getPodCIDR()).isPresent());
    return cluster.nodeNetwork(node).orElseThrow();
  }

  private static void removeNodes(String... nodes) {
    for (String node : nodes) {
      cluster.deleteNode(node);
    }
    await().atMost(SOON).until(() -> Stream.of(nodes).allMatch(n -> cluster.nodeNetwork(n).isEmpty()
        && cluster.claims().stream().noneMatch(c -> c.getSpec().getNodeName().equals(n))));
  }

  private static void patchNodeNetwork(String node, String patch) {
    plane.client().resources(NodeNetwork.class).withName(node).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
  }

  private static Optional<SubnetClaim> claimOf(String cidr) {
    return cluster.claims().stream().filter(c -> cidr.equals(c.getSpec().getCidr())).findFirst();
  }

  private static NodeAddress internalIP(String address) {
    return new NodeAddress(address, "InternalIP");
  }

  /** "Type Reason: message" of the Events about an object, oldest first. */
  private static List<String> events(String kind, String name) {
    return plane.client().v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> kind.equals(e.getInvolvedObject().getKind()) && name.equals(e.getInvolvedObject().getName()))
        .sorted(Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }
}
