package io.plainroute.controller;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.SubnetPool;
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

  /** A node and the subnet it holds outside the pool. */
  record Held(String node, String podCIDR) {}

  static List<Held> find(SubnetPool pool, List<NodeNetwork> nodeNetworks) {
    return nodeNetworks.stream()
        .filter(nn -> nn.getSpec() != null && nn.getSpec().getPodCIDR() != null && !held(pool, nn.getSpec().getPodCIDR()))
        .map(nn -> new Held(nn.getMetadata().getName(), nn.getSpec().getPodCIDR()))
        .sorted(Comparator.comparing(Held::node))
        .toList();
  }

  private static boolean held(SubnetPool pool, String podCIDR) {
    try {
      return pool.holds(Cidrs.parseNetwork(podCIDR));
    } catch (Cidrs.InvalidCidrException e) {
      return false;
    }
  }
}
