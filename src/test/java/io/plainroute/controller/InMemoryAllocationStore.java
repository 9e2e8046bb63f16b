package io.plainroute.controller;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.SubnetClaimSpec;
import io.plainroute.ipam.Cidrs;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The API server's arbitration rules that the allocator relies on (create fails on a taken name),
 * kept in maps, so the allocator's decisions can be checked in milliseconds. The integration tests
 * check the same against a real kube-apiserver. Synchronized like the API server serializes writes:
 * the allocator writes for several nodes at once.
 */
class InMemoryAllocationStore implements AllocationStore {
  final Map<String, NodeNetwork> nodeNetworks = new LinkedHashMap<>();
  final Map<String, SubnetClaim> claims = new LinkedHashMap<>();
  final Set<String> liveNodes = new TreeSet<>();
  final Map<String, String> nodePodCIDRs = new LinkedHashMap<>();
  final List<String> events = new ArrayList<>();

  @Override
  public synchronized List<NodeNetwork> listNodeNetworks() {
    return List.copyOf(nodeNetworks.values());
  }

  @Override
  public synchronized List<SubnetClaim> listClaims() {
    return List.copyOf(claims.values());
  }

  @Override
  public synchronized boolean nodeExists(String name) {
    return liveNodes.contains(name);
  }

  @Override
  public synchronized Optional<SubnetClaim> claim(IPAddress subnet, Node node, String clusterNetwork) {
    String name = Cidrs.objectName(subnet);
    return putClaim(subnet.toCanonicalString(), node.getMetadata().getName(), clusterNetwork) ? Optional.of(claims.get(name)) : Optional.empty();
  }

  synchronized boolean putClaim(String cidr, String node, String clusterNetwork) {
    String name = Cidrs.network(cidr).map(Cidrs::objectName).orElseThrow();
    if (claims.containsKey(name)) {
      return false;
    }
    SubnetClaim claim = new SubnetClaim();
    claim.setMetadata(new ObjectMetaBuilder().withName(name).build());
    claim.setSpec(new SubnetClaimSpec(cidr, node, clusterNetwork));
    claims.put(name, claim);
    return true;
  }

  @Override
  public synchronized void release(SubnetClaim claim) {
    claims.remove(claim.getMetadata().getName());
  }

  @Override
  public synchronized Created<NodeNetwork> createNodeNetwork(Node node, NodeNetworkSpec spec, String clusterNetwork) {
    NodeNetwork existing = nodeNetworks.get(node.getMetadata().getName());
    if (existing != null) {
      return new Created<>(existing, false);
    }
    NodeNetwork created = nodeNetwork(node.getMetadata().getName(), spec);
    nodeNetworks.put(node.getMetadata().getName(), created);
    return new Created<>(created, true);
  }

  static NodeNetwork nodeNetwork(String name, NodeNetworkSpec spec) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    NodeNetworkSpec copy = new NodeNetworkSpec(spec.getNodeName(), spec.getPodCIDR(), spec.getGateway(), spec.getNodeIP());
    copy.setPodCIDRs(spec.getPodCIDRs());
    copy.setGateways(spec.getGateways());
    copy.setNodeIPs(spec.getNodeIPs());
    nn.setSpec(copy);
    return nn;
  }

  @Override
  public synchronized void deleteNodeNetwork(NodeNetwork nodeNetwork) {
    nodeNetworks.remove(nodeNetwork.getMetadata().getName());
  }

  @Override
  public synchronized NodeNetwork updateAddresses(NodeNetwork nodeNetwork, NodeNetworkSpec spec) {
    NodeNetworkSpec stored = nodeNetworks.get(nodeNetwork.getMetadata().getName()).getSpec();
    stored.setNodeIP(spec.getNodeIP());
    stored.setPodCIDRs(spec.getPodCIDRs());
    stored.setGateways(spec.getGateways());
    stored.setNodeIPs(spec.getNodeIPs());
    return nodeNetworks.get(nodeNetwork.getMetadata().getName());
  }

  @Override
  public synchronized void setNodePodCIDRs(Node node, List<String> podCIDRs) {
    nodePodCIDRs.putIfAbsent(node.getMetadata().getName(), String.join(",", podCIDRs));
  }

  @Override
  public synchronized void recordEvent(Node node, EventType type, String reason, String message) {
    events.add(node.getMetadata().getName() + ":" + reason);
  }

  synchronized String podCIDROf(String node) {
    NodeNetwork nn = nodeNetworks.get(node);
    return nn == null ? null : nn.getSpec().getPodCIDR();
  }

  static String name(IPAddress subnet) {
    return Cidrs.objectName(subnet);
  }
}
