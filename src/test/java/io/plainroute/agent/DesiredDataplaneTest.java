package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.cluster;
import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.SubnetClaimSpec;
import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.netlink.Ipv4Prefix;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredDataplaneTest {
  private static final NodeNetworkSpec NODE01 = new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11");
  private static final Optional<NodeUplink> ETH0 = Optional.of(new NodeUplink(2, "eth0", "02:00:00:00:00:11", 1500, List.of(Ipv4Prefix.parse("192.168.1.0/24"))));

  @Test
  void theLecturesNodeRoutesToBothPeersThroughTheirNodeIPs() {
    DesiredDataplane desired = DesiredDataplane.of(cluster(), NODE01,
        List.of(peer("node03", "10.244.3.0/24", "192.168.1.13"), peer("node02", "10.244.2.0/24", "192.168.1.12")), ETH0);

    assertThat(desired.bridgeName()).isEqualTo("cni0");
    assertThat(desired.gateway()).isEqualTo(Ipv4Prefix.parse("10.244.1.1/24"));
    assertThat(desired.podCIDR()).isEqualTo(Ipv4Prefix.parse("10.244.1.0/24"));
    assertThat(desired.mtu()).isEqualTo(1500);
    assertThat(desired.routes()).containsExactly(
        new PeerRoute("node02", Ipv4Prefix.parse("10.244.2.0/24"), Ipv4Prefix.parseAddress("192.168.1.12")),
        new PeerRoute("node03", Ipv4Prefix.parse("10.244.3.0/24"), Ipv4Prefix.parseAddress("192.168.1.13")));
    assertThat(desired.unreachable()).isEmpty();
    assertThat(desired.masquerade()).isTrue();
    assertThat(desired.podRanges()).containsExactly(Ipv4Prefix.parse("10.244.0.0/16"));
  }

  @Test
  void anExplicitMtuWinsOverTheUplinks() {
    ClusterNetworkSpec spec = cluster();
    spec.setMtu(1400);
    assertThat(DesiredDataplane.of(spec, NODE01, List.of(), ETH0).mtu()).isEqualTo(1400);
    assertThat(DesiredDataplane.of(cluster(), NODE01, List.of(),
        Optional.of(new NodeUplink(2, "eth0", "", 9000, List.of()))).mtu()).isEqualTo(9000);
  }

  @Test
  void peersPlainRoutingCannotReachAreReportedAndDoNotBlockTheOthers() {
    NodeNetwork broken = peer("node08", "10.244.8.0/24", "192.168.1.18");
    broken.getSpec().setPodCIDR("10.244.8.7/24");
    DesiredDataplane desired = DesiredDataplane.of(cluster(), NODE01, List.of(
        peer("node02", "10.244.2.0/24", "192.168.1.12"),
        peer("node09", "10.244.9.0/24", "10.9.0.4"),
        peer("node05", "10.244.5.0/24", ""),
        peer("clone", "10.244.6.0/24", "192.168.1.11"),
        broken), ETH0);

    assertThat(desired.routes()).extracting(PeerRoute::node).containsExactly("node02");
    assertThat(desired.unreachable()).extracting(UnreachablePeer::getNode, UnreachablePeer::getReason).containsExactly(
        org.assertj.core.groups.Tuple.tuple("clone", "SameNodeIP"),
        org.assertj.core.groups.Tuple.tuple("node05", "NoNodeIP"),
        org.assertj.core.groups.Tuple.tuple("node08", "InvalidPodCIDR"),
        org.assertj.core.groups.Tuple.tuple("node09", "PeerNotOnLink"));
  }

  @Test
  void withoutAnUplinkNoPeerIsOnLink() {
    DesiredDataplane desired = DesiredDataplane.of(cluster(), NODE01, List.of(peer("node02", "10.244.2.0/24", "192.168.1.12")), Optional.empty());
    assertThat(desired.routes()).isEmpty();
    assertThat(desired.unreachable()).extracting(UnreachablePeer::getReason).containsExactly("PeerNotOnLink");
    assertThat(desired.mtu()).isEqualTo(1500);
  }

  @Test
  void nodeSubnetsHeldOutsideTheClusterRangesStayPodRanges() {
    ClusterNetworkSpec replaced = cluster();
    replaced.setClusterCIDRs(List.of("10.245.0.0/16"));
    DesiredDataplane desired = DesiredDataplane.of(replaced, NODE01, List.of(
        peer("node02", "10.244.2.0/24", "192.168.1.12"), peer("node03", "10.245.3.0/24", "192.168.1.13"),
        peer("far", "10.244.9.0/24", "10.9.0.4")), ETH0);
    assertThat(desired.podRanges()).containsExactly(Ipv4Prefix.parse("10.245.0.0/16"), Ipv4Prefix.parse("10.244.1.0/24"),
        Ipv4Prefix.parse("10.244.2.0/24"), Ipv4Prefix.parse("10.244.9.0/24"));
  }

  @Test
  void aPeerWhoseNodeNetworkIsGoneKeepsItsRouteWhileItsClaimStands() {
    List<PeerRoute> earlier = DesiredDataplane.of(cluster(), NODE01, List.of(
        peer("node02", "10.244.2.0/24", "192.168.1.12"), peer("node03", "10.244.3.0/24", "192.168.1.13")), ETH0).routes();

    DesiredDataplane claimed = DesiredDataplane.of(cluster(), NODE01, List.of(peer("node03", "10.244.3.0/24", "192.168.1.13")),
        uplinks(ETH0), earlier, List.of(claim("10.244.2.0/24", "node02"), claim("10.244.3.0/24", "node03")));
    assertThat(claimed.routes()).isEqualTo(earlier);

    DesiredDataplane released = DesiredDataplane.of(cluster(), NODE01, List.of(peer("node03", "10.244.3.0/24", "192.168.1.13")),
        uplinks(ETH0), earlier, List.of(claim("10.244.2.0/24", "node07"), claim("10.244.3.0/24", "node03")));
    assertThat(released.routes()).extracting(PeerRoute::node).containsExactly("node03");
  }

  private static NodeUplinks uplinks(Optional<NodeUplink> ipv4) {
    return new NodeUplinks(ipv4.map(u -> java.util.Map.of(io.plainroute.netlink.IpFamily.IPV4, u)).orElse(java.util.Map.of()));
  }

  private static SubnetClaim claim(String cidr, String node) {
    SubnetClaim claim = new SubnetClaim();
    claim.setSpec(new SubnetClaimSpec(cidr, node, "default"));
    return claim;
  }

  @Test
  void anOwnSubnetThatIsNotANetworkIsRefusedNamingTheField() {
    NodeNetworkSpec own = new NodeNetworkSpec("node01", "10.244.1.7/24", "10.244.1.1", "192.168.1.11");
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> DesiredDataplane.of(cluster(), own, List.of(), ETH0))
        .withMessageContaining("spec.podCIDR '10.244.1.7/24'");
  }
}
