package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.ipam.Cidrs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/** What the controller tests do to and read from a real API server, in the words of the tests. */
final class Cluster {
  private final KubernetesClient client;

  Cluster(KubernetesClient client) {
    this.client = client;
  }

  KubernetesClient client() {
    return client;
  }

  /** Registers a Node as a kubelet would: with its InternalIP in the status. */
  Node addNode(String name, String internalIP) {
    return addNode(name, internalIP, Map.of(), null);
  }

  Node addNode(String name, String internalIP, Map<String, String> labels, String podCIDR) {
    return addNode(name, List.of(internalIP), labels, podCIDR);
  }

  /** A Node with an InternalIP of each family given (a dual-stack kubelet reports both). */
  Node addNode(String name, List<String> internalIPs, Map<String, String> labels, String podCIDR) {
    NodeBuilder builder = new NodeBuilder()
        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewSpec().withPodCIDR(podCIDR).withPodCIDRs(podCIDR == null ? List.of() : List.of(podCIDR)).endSpec()
        .withNewStatus().endStatus();
    for (String ip : internalIPs) {
      builder.editStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus();
    }
    Node node = builder.editStatus().addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus().build();
    Node created = client.nodes().resource(node).create();
    if (created.getStatus() == null || created.getStatus().getAddresses().isEmpty()) {
      created.setStatus(node.getStatus());
      created = client.nodes().resource(created).updateStatus();
    }
    return created;
  }

  /** As a kubelet would report a new address; retried when the controller wrote the Node meanwhile. */
  void setInternalIP(String node, String ip) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
      Node current = client.nodes().withName(node).get();
      current.getStatus().getAddresses().stream().filter(a -> a.getType().equals("InternalIP")).forEach(a -> a.setAddress(ip));
      client.nodes().resource(current).updateStatus();
    });
  }

  void deleteNode(String name) {
    client.nodes().withName(name).delete();
  }

  ClusterNetwork declare(String name, List<String> ranges, int prefix) {
    return declare(name, ranges, prefix, spec -> spec);
  }

  ClusterNetwork declare(String name, List<String> ranges, int prefix, Function<ClusterNetworkSpec, ClusterNetworkSpec> more) {
    ClusterNetwork cn = new ClusterNetwork();
    cn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(new ArrayList<>(ranges));
    spec.setNodeSubnetPrefixLength(prefix);
    cn.setSpec(more.apply(spec));
    return client.resource(cn).create();
  }

  /** As a user would with kubectl edit; retried when the controller wrote the status meanwhile (409). */
  void appendRange(String clusterNetwork, String range) {
    await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() ->
        client.resources(ClusterNetwork.class).withName(clusterNetwork).edit(cn -> {
          cn.getSpec().getClusterCIDRs().add(range);
          return cn;
        }));
  }

  ClusterNetwork clusterNetwork(String name) {
    return client.resources(ClusterNetwork.class).withName(name).get();
  }

  Optional<Condition> condition(String clusterNetwork, String type) {
    ClusterNetwork cn = clusterNetwork(clusterNetwork);
    if (cn == null || cn.getStatus() == null) {
      return Optional.empty();
    }
    return cn.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
  }

  boolean conditionIs(String clusterNetwork, String type, String status) {
    return condition(clusterNetwork, type).map(c -> status.equals(c.getStatus())
        && c.getObservedGeneration().equals(clusterNetwork(clusterNetwork).getMetadata().getGeneration())).orElse(false);
  }

  List<NodeNetwork> nodeNetworks() {
    return client.resources(NodeNetwork.class).list().getItems();
  }

  Map<String, String> podCIDRs() {
    return nodeNetworks().stream().collect(Collectors.toMap(nn -> nn.getMetadata().getName(), nn -> nn.getSpec().getPodCIDR()));
  }

  Optional<NodeNetwork> nodeNetwork(String node) {
    return Optional.ofNullable(client.resources(NodeNetwork.class).withName(node).get());
  }

  List<SubnetClaim> claims() {
    return client.resources(SubnetClaim.class).list().getItems();
  }

  /** Events the controller recorded on a Node, as "Type Reason". */
  /** "Type Reason" of each Event about the ClusterNetwork, in the order they were made. */
  List<String> clusterNetworkEvents(String name) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()) && "ClusterNetwork".equals(e.getInvolvedObject().getKind()))
        .sorted(java.util.Comparator.comparing(e -> e.getMetadata().getCreationTimestamp()))
        .map(e -> e.getType() + " " + e.getReason() + ": " + e.getMessage()).toList();
  }

  List<String> nodeEvents(String node) {
    return client.v1().events().inNamespace("default").list().getItems().stream()
        .filter(e -> node.equals(e.getInvolvedObject().getName()) && "Node".equals(e.getInvolvedObject().getKind()))
        .map(e -> e.getType() + " " + e.getReason()).toList();
  }

  /**
   * Invariant 1 and the bookkeeping behind it, checked on what the API server holds: exactly the
   * given nodes have a NodeNetwork; every subnet has the pool's size, lies in a range and overlaps no
   * other; the gateway is its first address; each NodeNetwork is owned by its Node and backed by
   * exactly one claim, and no claim is left over.
   */
  void assertAllocationIsSound(Set<String> nodes, List<String> ranges, int prefix) throws Exception {
    assertAllocationIsSound(nodes, ranges, prefix, 64);
  }

  /** The same for every family: each subnet has its family's prefix, and every NodeNetwork one subnet of each family. */
  void assertAllocationIsSound(Set<String> nodes, List<String> ranges, int prefix, int prefixIPv6) throws Exception {
    List<NodeNetwork> all = nodeNetworks();
    assertThat(all).extracting(nn -> nn.getMetadata().getName()).containsExactlyInAnyOrderElementsOf(nodes);
    List<IPAddress> rangeBlocks = new ArrayList<>();
    for (String range : ranges) {
      rangeBlocks.add(Cidrs.parseNetwork(range));
    }
    List<IPAddress> subnets = new ArrayList<>();
    Map<String, String> uids = client.nodes().list().getItems().stream()
        .collect(Collectors.toMap(n -> n.getMetadata().getName(), n -> n.getMetadata().getUid()));
    List<Integer> families = rangeBlocks.stream().map(r -> r.isIPv4() ? 4 : 6).distinct().toList();
    for (NodeNetwork nn : all) {
      String name = nn.getMetadata().getName();
      List<String> podCIDRs = nn.getSpec().allPodCIDRs();
      assertThat(podCIDRs).as("podCIDRs of %s", name).hasSize(families.size()).first().isEqualTo(nn.getSpec().getPodCIDR());
      assertThat(nn.getSpec().getGateways()).as("gateways of %s", name).hasSize(families.size()).first().isEqualTo(nn.getSpec().getGateway());
      for (int i = 0; i < podCIDRs.size(); i++) {
        IPAddress subnet = Cidrs.parseNetwork(podCIDRs.get(i));
        assertThat(subnet.isIPv4() ? 4 : 6).as("family of %s of %s, in the cluster's order", subnet, name).isEqualTo(families.get(i));
        assertThat(subnet.getNetworkPrefixLength()).as("prefix of %s", name).isEqualTo(subnet.isIPv4() ? prefix : prefixIPv6);
        assertThat(rangeBlocks).as("a range holds %s of %s", subnet, name).anyMatch(r -> r.getIPVersion() == subnet.getIPVersion() && r.contains(subnet));
        assertThat(nn.getSpec().getGateways().get(i)).isEqualTo(Cidrs.gateway(subnet).toCanonicalString());
        subnets.add(subnet);
      }
      assertThat(nn.getSpec().getNodeName()).isEqualTo(name);
      assertThat(nn.getMetadata().getOwnerReferences()).singleElement()
          .satisfies(o -> assertThat(o.getUid()).isEqualTo(uids.get(name)));
    }
    subnets.sort(Comparator.comparing(s -> s.getLower().getValue()));
    for (int i = 1; i < subnets.size(); i++) {
      assertThat(subnets.get(i - 1).overlaps(subnets.get(i))).as("%s overlaps %s", subnets.get(i - 1), subnets.get(i)).isFalse();
    }
    Map<String, String> claimed = claims().stream().collect(Collectors.toMap(c -> c.getSpec().getCidr(), c -> c.getSpec().getNodeName()));
    Map<String, String> held = all.stream().flatMap(nn -> nn.getSpec().allPodCIDRs().stream().map(c -> Map.entry(c, nn.getMetadata().getName())))
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    assertThat(claimed).as("claims match NodeNetworks one to one").isEqualTo(held);
  }
}
