package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.ipam.ClusterPools;
import io.plainroute.ipam.PoolSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The controller's findings across NodeNetworks, judged per family in a dual-stack cluster. */
class PerFamilyFindingsTest {

  @Test
  void anIPv6SubnetOutsideTheIPv6RangesIsReportedBesideAnIPv4OneInside() {
    ClusterPools pools = ((PoolSpec.Valid) PoolSpec.validate(List.of("10.244.0.0/16", "fd00:10:244::/56"), 24, 64)).pools();
    NodeNetwork inside = dual("node01", "10.244.1.0/24", "fd00:10:244:1::/64");
    NodeNetwork outside = dual("node02", "10.244.2.0/24", "fd00:99::/64");
    assertThat(SubnetsOutsideRanges.find(pools, List.of(inside, outside)))
        .containsExactly(new SubnetsOutsideRanges.Held("node02", "fd00:99::/64"));

    // A cluster declared anew without IPv6: every IPv6 subnet lies outside it.
    ClusterPools v4only = ((PoolSpec.Valid) PoolSpec.validate(List.of("10.244.0.0/16"), 24, 64)).pools();
    assertThat(SubnetsOutsideRanges.find(v4only, List.of(inside)))
        .containsExactly(new SubnetsOutsideRanges.Held("node01", "fd00:10:244:1::/64"));
  }

  @Test
  void anEditedIPv6GatewayIsPutBackWithThePrimaryOne() {
    NodeNetwork nn = dual("node01", "10.244.1.0/24", "fd00:10:244:1::/64");
    nn.getSpec().setGateways(List.of("10.244.1.1", "fd00:10:244:1::7"));
    assertThat(OwnedSpecFields.changed(nn))
        .isEqualTo(Map.of("gateway", "10.244.1.1", "gateways", List.of("10.244.1.1", "fd00:10:244:1::1")));
    assertThat(OwnedSpecFields.changed(dual("node01", "10.244.1.0/24", "fd00:10:244:1::/64"))).isEmpty();
  }

  @Test
  void twoNodesSharingAnIPv6NodeAddressConflict() {
    NodeNetwork a = dual("node01", "10.244.1.0/24", "fd00:10:244:1::/64");
    NodeNetwork b = dual("node02", "10.244.2.0/24", "fd00:10:244:2::/64");
    b.getSpec().setNodeIPs(List.of("192.168.1.12", "fd00:1::1"));
    assertThat(NodeConflicts.find(List.of(a, b))).containsOnlyKeys("node01", "node02")
        .allSatisfy((node, conflict) -> assertThat(conflict.message()).contains("node IP fd00:1::1"));
  }

  private static NodeNetwork dual(String node, String v4, String v6) {
    String gw4 = v4.replace(".0/24", ".1");
    String gw6 = v6.replace("::/64", "::1");
    return InMemoryAllocationStore.nodeNetwork(node, new NodeNetworkSpec(node, List.of(v4, v6), List.of(gw4, gw6),
        List.of("192.168.1." + (10 + Integer.parseInt(node.substring(4))), "fd00:1::1")));
  }
}
