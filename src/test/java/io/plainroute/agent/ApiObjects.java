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

  /** A peer's NodeNetwork, its gateway the subnet's .1. */
  static NodeNetwork peer(String name, String podCIDR, String nodeIP) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    nn.setSpec(new NodeNetworkSpec(name, podCIDR, podCIDR.substring(0, podCIDR.lastIndexOf('.')) + ".1", nodeIP));
    return nn;
  }
}
