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
import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
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

  private static final NodeNetworkSpec NODE01_DUAL = ApiObjects.dualStack("node01", "10.244.1.0/24", "192.168.1.11",
      "fd00:10:244:1::/64", "fd00:192:168:1::11");
  private static final NodeUplink ETH0_V6 = new NodeUplink(2, "eth0", "02:00:00:00:00:11", 1500,
      List.of(IpPrefix.parse("fd00:192:168:1::/64")));
  private static final NodeUplinks DUAL_UPLINKS = new NodeUplinks(java.util.Map.of(IpFamily.IPV4, ETH0.get(), IpFamily.IPV6, ETH0_V6));

  @Test
  void aDualStackNodeHasASubnetAndGatewayOfEachFamilyPrimaryFirst() {
    DesiredDataplane desired = DesiredDataplane.of(ApiObjects.dualStackCluster(), NODE01_DUAL, List.of(), DUAL_UPLINKS, List.of(), List.of());

    assertThat(desired.families()).containsExactly(IpFamily.IPV4, IpFamily.IPV6);
    assertThat(desired.subnets()).extracting(PodSubnet::podCIDR, PodSubnet::gateway).containsExactly(
        org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parse("10.244.1.1/24")),
        org.assertj.core.groups.Tuple.tuple(IpPrefix.parse("fd00:10:244:1::/64"), IpPrefix.parse("fd00:10:244:1::1/64")));
    assertThat(desired.podRanges()).containsExactly(IpPrefix.parse("10.244.0.0/16"), IpPrefix.parse("fd00:10:244::/48"));
  }

  @Test
  void aDualStackPeerGetsOneRoutePerFamilyViaItsNodeAddressOfThatFamily() {
    DesiredDataplane desired = DesiredDataplane.of(ApiObjects.dualStackCluster(), NODE01_DUAL, List.of(
        ApiObjects.dualStackPeer("node02", "10.244.2.0/24", "192.168.1.12", "fd00:10:244:2::/64", "fd00:192:168:1::12")),
        DUAL_UPLINKS, List.of(), List.of());

    assertThat(desired.routes()).containsExactly(
        new PeerRoute("node02", IpPrefix.parse("10.244.2.0/24"), IpPrefix.parseAddress("192.168.1.12")),
        new PeerRoute("node02", IpPrefix.parse("fd00:10:244:2::/64"), IpPrefix.parseAddress("fd00:192:168:1::12")));
    assertThat(desired.problems()).isEmpty();
  }

  @Test
  void aPeerUnreachableInOneFamilyIsReportedForThatFamilyAndRoutedInTheOther() {
    DesiredDataplane desired = DesiredDataplane.of(ApiObjects.dualStackCluster(), NODE01_DUAL, List.of(
        ApiObjects.dualStackPeer("node03", "10.244.3.0/24", "192.168.1.13", "fd00:10:244:3::/64", "fd00:99::13"),
        ApiObjects.dualStackPeer("node04", "10.244.4.0/24", "192.168.1.14", "fd00:10:244:4::/64", "")),
        DUAL_UPLINKS, List.of(), List.of());

    assertThat(desired.routes()).extracting(PeerRoute::node, PeerRoute::family).containsExactly(
        org.assertj.core.groups.Tuple.tuple("node03", IpFamily.IPV4), org.assertj.core.groups.Tuple.tuple("node04", IpFamily.IPV4));
    assertThat(desired.problems()).extracting(PeerProblem::family, p -> p.peer().getNode(), p -> p.peer().getReason()).containsExactly(
        org.assertj.core.groups.Tuple.tuple(IpFamily.IPV6, "node03", "PeerNotOnLink"),
        org.assertj.core.groups.Tuple.tuple(IpFamily.IPV6, "node04", "NoNodeIP"));
    assertThat(PeerProblems.explain(desired.problems().get(1))).contains("IPv6");
  }

  @Test
  void withoutAnIpv6UplinkIpv6PeersAreNotOnLinkAndIpv4OnesStillRouted() {
    NodeUplinks ipv4Only = uplinks(ETH0);
    DesiredDataplane desired = DesiredDataplane.of(ApiObjects.dualStackCluster(), NODE01_DUAL, List.of(
        ApiObjects.dualStackPeer("node02", "10.244.2.0/24", "192.168.1.12", "fd00:10:244:2::/64", "fd00:192:168:1::12")),
        ipv4Only, List.of(), List.of());

    assertThat(desired.routes()).extracting(PeerRoute::family).containsExactly(IpFamily.IPV4);
    assertThat(desired.problems()).extracting(p -> p.peer().getReason()).containsExactly("PeerNotOnLink");
  }

  @Test
  void anObjectWrittenBeforeTheListsReadsAsOneIpv4Family() {
    NodeNetworkSpec old = new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11");
    DesiredDataplane desired = DesiredDataplane.of(ApiObjects.dualStackCluster(), old, List.of(
        ApiObjects.dualStackPeer("node02", "10.244.2.0/24", "192.168.1.12", "fd00:10:244:2::/64", "fd00:192:168:1::12")),
        uplinks(ETH0), List.of(), List.of());

    assertThat(desired.subnets()).extracting(PodSubnet::podCIDR).containsExactly(IpPrefix.parse("10.244.1.0/24"));
    assertThat(desired.routes()).extracting(PeerRoute::family).containsExactly(IpFamily.IPV4);
  }

  @Test
  void anIpv6OnlyNodeHoldsIpv6InTheSingleFields() {
    NodeNetworkSpec v6 = new NodeNetworkSpec("node01", "fd00:10:244:1::/64", "fd00:10:244:1::1", "fd00:192:168:1::11");
    DesiredDataplane desired = DesiredDataplane.of(cluster(), v6, List.of(
        peer6("node02", "fd00:10:244:2::/64", "fd00:192:168:1::12")),
        new NodeUplinks(java.util.Map.of(IpFamily.IPV6, ETH0_V6)), List.of(), List.of());

    assertThat(desired.families()).containsExactly(IpFamily.IPV6);
    assertThat(desired.routes()).containsExactly(
        new PeerRoute("node02", IpPrefix.parse("fd00:10:244:2::/64"), IpPrefix.parseAddress("fd00:192:168:1::12")));
  }

  @Test
  void aGatewayOutsideItsSubnetOrTwoSubnetsOfOneFamilyAreRefusedNamingTheField() {
    NodeNetworkSpec outside = ApiObjects.dualStack("node01", "10.244.1.0/24", "192.168.1.11", "fd00:10:244:1::/64", "fd00::11");
    outside.setGateways(List.of("10.244.1.1", "fd00:10:244:9::1"));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> DesiredDataplane.subnets(outside))
        .withMessageContaining("spec.gateways[1]");
    NodeNetworkSpec twice = ApiObjects.dualStack("node01", "10.244.1.0/24", "192.168.1.11", "fd00:10:244:1::/64", "fd00::11");
    twice.setPodCIDRs(List.of("10.244.1.0/24", "10.245.1.0/24"));
    twice.setGateways(List.of("10.244.1.1", "10.245.1.1"));
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException().isThrownBy(() -> DesiredDataplane.subnets(twice))
        .withMessageContaining("spec.podCIDRs[1]").withMessageContaining("second IPv4");
  }

  private static NodeNetwork peer6(String name, String podCIDR, String nodeIP) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).build());
    nn.setSpec(new NodeNetworkSpec(name, podCIDR, podCIDR.substring(0, podCIDR.indexOf('/')) + "1", nodeIP));
    return nn;
  }

  private static NodeUplinks uplinks(Optional<NodeUplink> ipv4) {
    return new NodeUplinks(ipv4.map(u -> java.util.Map.of(IpFamily.IPV4, u)).orElse(java.util.Map.of()));
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
