package io.plainroute.agent;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import java.util.List;

/** The API objects the agent's tests start from, as the controller would write them. */
final class ApiObjects {
  private ApiObjects() {
  }

  /** The lectures' ClusterNetwork: 10.244.0.0/16, defaults elsewhere. */
  static ClusterNetworkSpec cluster() {
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(List.of("10.244.0.0/16"));
    return spec;
  }

  /**
   * A dual-stack node's NodeNetwork spec: an IPv4 and an IPv6 subnet, each gateway the subnet's
   * first address, and a node address of each family ("" for none).
   */
  static NodeNetworkSpec dualStack(String name, String podCIDR, String nodeIP, String podCIDR6, String nodeIP6) {
    NodeNetworkSpec spec = new NodeNetworkSpec(name, podCIDR, podCIDR.substring(0, podCIDR.lastIndexOf('.')) + ".1", nodeIP);
    spec.setPodCIDRs(List.of(podCIDR, podCIDR6));
    spec.setGateways(List.of(spec.getGateway(), podCIDR6.substring(0, podCIDR6.indexOf('/')) + "1"));
    spec.setNodeIPs(List.of(nodeIP, nodeIP6));
    return spec;
  }

  /** A dual-stack peer's NodeNetwork. */
  static NodeNetwork dualStackPeer(String name, String podCIDR, String nodeIP, String podCIDR6, String nodeIP6) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    nn.setSpec(dualStack(name, podCIDR, nodeIP, podCIDR6, nodeIP6));
    return nn;
  }

  /** A dual-stack cluster: 10.244.0.0/16 and fd00:10:244::/48. */
  static ClusterNetworkSpec dualStackCluster() {
    ClusterNetworkSpec spec = cluster();
    spec.setClusterCIDRs(List.of("10.244.0.0/16", "fd00:10:244::/48"));
    return spec;
  }

  /** A peer's NodeNetwork, its gateway the subnet's .1. */
  static NodeNetwork peer(String name, String podCIDR, String nodeIP) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    nn.setSpec(new NodeNetworkSpec(name, podCIDR, podCIDR.substring(0, podCIDR.lastIndexOf('.')) + ".1", nodeIP));
    return nn;
  }
}
