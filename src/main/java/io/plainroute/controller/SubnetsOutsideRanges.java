package io.plainroute.controller;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.ClusterPools;
import java.util.Comparator;
import java.util.List;

/**
 * Node subnets the active ClusterNetwork does not hold: left by a ClusterNetwork that was deleted
 * and declared anew with other ranges or another prefix length. They keep working (nothing is torn
 * down: pods hold addresses from them), but the ClusterNetwork must not read Ready while it does
 * not describe them. Pure: pool and NodeNetworks in, findings out.
 */
final class SubnetsOutsideRanges {
  private SubnetsOutsideRanges() {}

  /** A node and a subnet it holds outside the pool of that subnet's family. */
  record Held(String node, String podCIDR) {}

  /** Every subnet of every family that the pool of its family does not hold (or no pool, when the cluster lost that family). */
  static List<Held> find(ClusterPools pools, List<NodeNetwork> nodeNetworks) {
    return nodeNetworks.stream()
        .filter(nn -> nn.getSpec() != null)
        .flatMap(nn -> nn.getSpec().allPodCIDRs().stream()
            .filter(podCIDR -> !Cidrs.network(podCIDR).map(pools::holds).orElse(false))
            .map(podCIDR -> new Held(nn.getMetadata().getName(), podCIDR)))
        .sorted(Comparator.comparing(Held::node))
        .toList();
  }
}
