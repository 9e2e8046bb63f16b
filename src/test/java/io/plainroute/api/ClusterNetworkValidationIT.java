package io.plainroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Invariant 10 at the door: the real kube-apiserver refuses each invalid field of a ClusterNetwork
 * (and of a NodeNetwork) through the generated CRD's schema and CEL rules, with a message that
 * names the field. No controller runs here: this is the API alone.
 */
@WithControlPlane(controllers = {})
class ClusterNetworkValidationIT {
  private static final AtomicInteger NAMES = new AtomicInteger();

  @ParameterizedTest(name = "clusterCIDRs {0} is refused")
  @CsvSource(delimiter = '|', value = {
      "10.244.0.1/16              | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form",
      "010.244.0.0/16             | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form",
      "10.244.0.0                 | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network",
      "banana                     | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network",
      "10.244.0.0/16,10.244.8.0/21 | spec.clusterCIDRs: entries must not overlap",
      "10.244.0.0/16,10.244.0.0/16 | spec.clusterCIDRs: entries must not overlap or repeat",
      // IPv6: host bits, uppercase, uncompressed zeros, IPv4-mapped, overlaps within the family
      "fd00:10:244::1/56           | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form",
      "FD00:10:244::/56            | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form",
      "fd00:10:244:0:0::/64        | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form",
      "::ffff:10.0.0.0/104         | spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network",
      "10.244.0.0/16,fd00::/48,fd00:0:0:8::/64 | spec.clusterCIDRs: entries must not overlap",
      "fd00::/48,fd00::/48         | spec.clusterCIDRs: entries must not overlap or repeat",
  })
  void refusesBadRanges(String ranges, String message, ControlPlane plane) {
    assertRefused(plane.client(), spec -> spec.setClusterCIDRs(List.of(ranges.split(","))), message);
  }

  @Test
  void requiresAtLeastOneRange(ControlPlane plane) {
    assertRefused(plane.client(), spec -> spec.setClusterCIDRs(List.of()), "spec.clusterCIDRs");
  }

  @ParameterizedTest(name = "nodeSubnetPrefixLength {0} with {1} is refused")
  @CsvSource(delimiter = '|', value = {
      "31 | 10.244.0.0/16 | spec.nodeSubnetPrefixLength",
      "0  | 10.244.0.0/16 | spec.nodeSubnetPrefixLength",
      "16 | 10.244.0.0/16 | spec.nodeSubnetPrefixLength must be longer than the prefix of every IPv4 entry of spec.clusterCIDRs",
      "20 | 10.0.0.0/8,172.16.0.0/20 | spec.nodeSubnetPrefixLength must be longer",
      // the IPv4 size does not apply to IPv6 ranges: a /16 of IPv6 is fine with nodeSubnetPrefixLength 16
      "16 | fd00::/48,10.244.0.0/16 | spec.nodeSubnetPrefixLength must be longer than the prefix of every IPv4 entry",
  })
  void refusesPrefixLengthsThatDoNotCutTheRanges(int prefix, String ranges, String message, ControlPlane plane) {
    assertRefused(plane.client(), spec -> {
      spec.setClusterCIDRs(List.of(ranges.split(",")));
      spec.setNodeSubnetPrefixLength(prefix);
    }, message);
  }

  @ParameterizedTest(name = "nodeSubnetPrefixLengthIPv6 {0} with {1} is refused")
  @CsvSource(delimiter = '|', value = {
      "64  | fd00:10:244::/64                  | spec.nodeSubnetPrefixLengthIPv6 must be longer than the prefix of every IPv6 entry of spec.clusterCIDRs",
      "64  | 10.244.0.0/16,fd00:10:244:1::/96  | spec.nodeSubnetPrefixLengthIPv6 must be longer than the prefix of every IPv6 entry",
      "48  | fd00::/56,fd00:1::/32            | spec.nodeSubnetPrefixLengthIPv6 must be longer",
      "127 | fd00::/48                         | spec.nodeSubnetPrefixLengthIPv6",
      "0   | fd00::/48                         | spec.nodeSubnetPrefixLengthIPv6",
  })
  void refusesAnIPv6NodePrefixThatDoesNotCutTheIPv6Ranges(int prefix, String ranges, String message, ControlPlane plane) {
    assertRefused(plane.client(), spec -> {
      spec.setClusterCIDRs(List.of(ranges.split(",")));
      spec.setNodeSubnetPrefixLengthIPv6(prefix);
    }, message);
  }

  @Test
  void refusesAnMtuIPv6CannotUse(ControlPlane plane) {
    assertRefused(plane.client(), spec -> {
      spec.setClusterCIDRs(List.of("10.244.0.0/16", "fd00:10:244::/56"));
      spec.setMtu(1000);
    }, "spec.mtu must be 0 (use the uplink's MTU) or at least 1280 while spec.clusterCIDRs holds an IPv6 range");
  }

  @Test
  void acceptsDualStackAndIPv6OnlySpecsWithTheIPv6DefaultSize(ControlPlane plane) {
    KubernetesClient client = plane.client();
    for (String ranges : List.of("[\"10.244.0.0/16\",\"fd00:10:244::/56\"]", "[\"fd00:10:244::/56\",\"10.244.0.0/16\"]",
        "[\"fd00:10:244::/56\",\"fd00:20::/32\"]", "[\"fd00::/8\"]", "[\"10.0.0.0/8\",\"2001:db8::/32\"]")) {
      GenericKubernetesResource stored = client.resource(raw("{\"clusterCIDRs\":" + ranges + "}")).create();
      ClusterNetwork created = client.getKubernetesSerialization().convertValue(stored, ClusterNetwork.class);
      assertThat(created.getSpec().getNodeSubnetPrefixLengthIPv6()).isEqualTo(64);
      client.resource(created).delete();
    }
    // The longest IPv6 strings, 16 entries: the rules stay within the API server's cost budget (it refused the CRD otherwise).
    List<String> longest = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      longest.add(String.format("fd00:1234:5678:9abc:def0:%04x:1000:0/112", 0x1000 + i));
    }
    ClusterNetwork many = client.resource(clusterNetwork(spec -> {
      spec.setClusterCIDRs(longest);
      spec.setNodeSubnetPrefixLengthIPv6(120);
    })).create();
    assertThat(many.getSpec().getClusterCIDRs()).hasSize(16);
    client.resource(many).delete();
  }

  @Test
  void anIPv4ClusterMayGainAnIPv6RangeButTheIPv6SizeIsImmutable(ControlPlane plane) {
    KubernetesClient client = plane.client();
    ClusterNetwork cn = client.resource(clusterNetwork(spec -> spec.setClusterCIDRs(List.of("10.244.0.0/16")))).create();
    cn.getSpec().setClusterCIDRs(List.of("10.244.0.0/16", "fd00:10:244::/56"));
    cn = client.resource(cn).update();
    assertThat(cn.getSpec().getClusterCIDRs()).containsExactly("10.244.0.0/16", "fd00:10:244::/56");
    assertUpdateRefused(client, copy(cn, spec -> spec.setClusterCIDRs(List.of("10.244.0.0/16"))), "spec.clusterCIDRs is append-only");
    ClusterNetwork resized = copy(cn, spec -> spec.setNodeSubnetPrefixLengthIPv6(80));
    assertUpdateRefused(client, resized, "spec.nodeSubnetPrefixLengthIPv6 is immutable");
    client.resource(cn).delete();
  }

  @ParameterizedTest(name = "bridgeName ''{0}'' is refused")
  @CsvSource(delimiter = '|', value = {
      "a-bridge-name-too-long | spec.bridgeName",
      "br/0                   | spec.bridgeName must be a Linux interface name",
      "br 0                   | spec.bridgeName must be a Linux interface name",
      "-br0                   | spec.bridgeName must be a Linux interface name",
      "br:0                   | spec.bridgeName must be a Linux interface name",
  })
  void refusesBridgeNamesLinuxRefuses(String name, String message, ControlPlane plane) {
    assertRefused(plane.client(), spec -> spec.setBridgeName(name), message);
  }

  @ParameterizedTest(name = "mtu {0} is refused")
  @CsvSource(delimiter = '|', value = {
      "100    | spec.mtu must be 0 (use the uplink's MTU) or at least 576",
      "-1     | spec.mtu",
      "70000  | spec.mtu",
  })
  void refusesImpossibleMtus(int mtu, String message, ControlPlane plane) {
    assertRefused(plane.client(), spec -> spec.setMtu(mtu), message);
  }

  @Test
  void acceptsAValidSpecAndFillsTheDefaults(ControlPlane plane) {
    KubernetesClient client = plane.client();
    GenericKubernetesResource stored = client.resource(raw("{\"clusterCIDRs\":[\"10.244.0.0/16\"]}")).create();
    ClusterNetwork created = client.getKubernetesSerialization().convertValue(stored, ClusterNetwork.class);
    ClusterNetworkSpec spec = created.getSpec();
    assertThat(spec.getNodeSubnetPrefixLength()).isEqualTo(24);
    assertThat(spec.getBridgeName()).isEqualTo("cni0");
    assertThat(spec.getMtu()).isZero();
    assertThat(spec.getMasquerade()).isTrue();
    assertThat(spec.getWriteNodePodCIDR()).isTrue();
    client.resource(created).delete();
  }

  @Test
  void rangesAreAppendOnly(ControlPlane plane) {
    KubernetesClient client = plane.client();
    ClusterNetwork cn = client.resource(clusterNetwork(spec -> spec.setClusterCIDRs(List.of("10.244.0.0/16")))).create();

    cn.getSpec().setClusterCIDRs(List.of("10.244.0.0/16", "10.245.0.0/16"));
    cn = client.resource(cn).update();
    assertThat(cn.getSpec().getClusterCIDRs()).containsExactly("10.244.0.0/16", "10.245.0.0/16");

    ClusterNetwork removing = copy(cn, spec -> spec.setClusterCIDRs(List.of("10.245.0.0/16")));
    assertUpdateRefused(client, removing, "spec.clusterCIDRs is append-only");
    ClusterNetwork changing = copy(cn, spec -> spec.setClusterCIDRs(List.of("10.244.0.0/15", "10.246.0.0/16")));
    assertUpdateRefused(client, changing, "spec.clusterCIDRs is append-only");
    client.resource(cn).delete();
  }

  @Test
  void thePrefixLengthIsImmutable(ControlPlane plane) {
    KubernetesClient client = plane.client();
    ClusterNetwork cn = client.resource(clusterNetwork(spec -> spec.setNodeSubnetPrefixLength(24))).create();
    assertUpdateRefused(client, copy(cn, spec -> spec.setNodeSubnetPrefixLength(25)), "spec.nodeSubnetPrefixLength is immutable");
    client.resource(cn).delete();
  }

  @Test
  void aNodeNetworksSubnetIsImmutable(ControlPlane plane) {
    KubernetesClient client = plane.client();
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName("node-" + NAMES.incrementAndGet()).build());
    nn.setSpec(new NodeNetworkSpec(nn.getMetadata().getName(), "10.244.1.0/24", "10.244.1.1", "192.168.1.11"));
    NodeNetwork created = client.resource(nn).create();

    created.getSpec().setPodCIDR("10.244.2.0/24");
    assertThatThrownBy(() -> client.resource(created).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining("spec.podCIDR is immutable")
        .hasMessageContaining("To give the node another subnet, drain it and delete the Node")
        .hasMessageNotContaining("delete the NodeNetwork to reallocate");

    NodeNetwork bad = new NodeNetwork();
    bad.setMetadata(new ObjectMetaBuilder().withName("node-" + NAMES.incrementAndGet()).build());
    bad.setSpec(new NodeNetworkSpec(bad.getMetadata().getName(), "10.244.1.0/24", "not-an-ip", "192.168.1.300"));
    assertThatThrownBy(() -> client.resource(bad).create())
        .hasMessageContaining("spec.gateway must be an IPv4 or IPv6 address")
        .hasMessageContaining("spec.nodeIP must be an IPv4 or IPv6 address");
  }

  @ParameterizedTest(name = "a NodeNetwork with podCIDR {0} and gateway {1} is refused")
  @CsvSource(delimiter = '|', value = {
      "10.244.1.0/24  | 10.244.2.1   | spec.gateway must be the first address of spec.podCIDR",
      "10.244.1.0/24  | 10.244.1.0   | spec.gateway must be the first address of spec.podCIDR",
      "10.244.1.0/24  | 10.244.1.255 | spec.gateway must be the first address of spec.podCIDR",
      "10.244.1.0/24  | 10.244.1.7   | spec.gateway must be the first address of spec.podCIDR",
      "10.120.0.64/26 | 10.120.0.127 | spec.gateway must be the first address of spec.podCIDR",
      "10.120.0.64/26 | 10.120.0.63  | spec.gateway must be the first address of spec.podCIDR",
      "fd00:10:244:1::/64 | fd00:10:244:2::1 | spec.gateway must be the first address of spec.podCIDR",
      "fd00:10:244:1::/64 | fd00:10:244:1::  | spec.gateway must be the first address of spec.podCIDR",
      "fd00:10:244:1::/64 | fd00:10:244:1::2 | spec.gateway must be the first address of spec.podCIDR",
      "fd00:10:244:1::/64 | 10.244.1.1       | spec.gateway must be the first address of spec.podCIDR, of the same family",
      "10.244.1.0/24      | ::1              | spec.gateway must be the first address of spec.podCIDR, of the same family",
  })
  void refusesAGatewayPodsCannotUse(String podCIDR, String gateway, String message, ControlPlane plane) {
    assertThatThrownBy(() -> plane.client().resource(nodeNetwork(podCIDR, gateway, "192.168.1.11")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @Test
  void refusesAPodCIDRWithHostBits(ControlPlane plane) {
    assertThatThrownBy(() -> plane.client().resource(nodeNetwork("10.244.1.5/24", "10.244.1.4", "192.168.1.11")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.podCIDR must be a network in canonical form");
    assertThatThrownBy(() -> plane.client().resource(nodeNetwork("fd00:10:244:1::1/64", "fd00:10:244:1::1", "fd00:1::11")).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.podCIDR must be a network in canonical form");
  }

  @Test
  void acceptsADualStackNodeNetworkAndLetsItsListGrowOnly(ControlPlane plane) {
    KubernetesClient client = plane.client();
    NodeNetwork nn = client.resource(nodeNetwork("10.244.1.0/24", "10.244.1.1", "192.168.1.11")).create();
    nn.getSpec().setPodCIDRs(List.of("10.244.1.0/24", "fd00:10:244:1::/64"));
    nn.getSpec().setGateways(List.of("10.244.1.1", "fd00:10:244:1::1"));
    nn.getSpec().setNodeIPs(List.of("192.168.1.11", "fd00:1::11"));
    NodeNetwork dual = client.resource(nn).update();
    assertThat(dual.getSpec().getPodCIDRs()).containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");

    NodeNetwork moved = client.getKubernetesSerialization().clone(dual);
    moved.getSpec().setPodCIDRs(List.of("10.244.1.0/24", "fd00:10:244:2::/64"));
    moved.getSpec().setGateways(List.of("10.244.1.1", "fd00:10:244:2::1"));
    assertThatThrownBy(() -> client.resource(moved).update()).hasMessageContaining("spec.podCIDRs: entries are immutable once set");
    NodeNetwork dropped = client.getKubernetesSerialization().clone(dual);
    dropped.getSpec().setPodCIDRs(null);
    dropped.getSpec().setGateways(null);
    dropped.getSpec().setNodeIPs(null);
    assertThatThrownBy(() -> client.resource(dropped).update()).hasMessageContaining("spec.podCIDRs cannot be removed once set");

    NodeNetwork v6only = nodeNetwork("fd00:10:244:3::/64", "fd00:10:244:3::1", "fd00:1::13");
    v6only.getSpec().setPodCIDRs(List.of("fd00:10:244:3::/64"));
    v6only.getSpec().setGateways(List.of("fd00:10:244:3::1"));
    v6only.getSpec().setNodeIPs(List.of("fd00:1::13"));
    assertThat(client.resource(v6only).create().getSpec().getPodCIDR()).isEqualTo("fd00:10:244:3::/64");
  }

  @ParameterizedTest(name = "a NodeNetwork with podCIDRs {0}, gateways {1}, nodeIPs {2} is refused")
  @CsvSource(delimiter = '|', value = {
      "10.244.1.0/24,fd00:10:244:1::/64 | 10.244.1.1,fd00:10:244:2::1  | 192.168.1.11,fd00:1::11 | spec.gateways[1] must be the first address of spec.podCIDRs[1]",
      "10.244.1.0/24,fd00:10:244:1::/64 | 10.244.1.1,fd00:10:244:1::    | 192.168.1.11,fd00:1::11 | spec.gateways[1] must be the first address of spec.podCIDRs[1]",
      "10.244.1.0/24,fd00:10:244:1::/64 | 10.244.1.1                     | 192.168.1.11,fd00:1::11 | spec.gateways must hold one gateway for each entry of spec.podCIDRs",
      "10.244.1.0/24,fd00:10:244:1::/64 | 10.244.1.1,fd00:10:244:1::1    | 192.168.1.11,192.168.1.12 | spec.nodeIPs[1] must be of the family of spec.podCIDRs[1]",
      "10.244.1.0/24,10.245.1.0/24      | 10.244.1.1,10.245.1.1          | 192.168.1.11,192.168.1.11 | spec.podCIDRs holds at most one subnet per family",
      "10.244.1.0/24,fd00:10:244:1::1/64 | 10.244.1.1,fd00:10:244:1::1   | 192.168.1.11,fd00:1::11 | spec.podCIDRs: every entry must be a network in canonical form",
      "10.244.2.0/24,fd00:10:244:1::/64 | 10.244.1.1,fd00:10:244:1::1    | 192.168.1.11,fd00:1::11 | spec.podCIDRs[0] must equal spec.podCIDR",
      "10.244.1.0/24,fd00:10:244:1::/64 | 10.244.1.1,fd00:10:244:1::1    | 192.168.1.11,fe80::1    | spec.nodeIPs: every entry must be \"\" or the node's unicast address",
  })
  void refusesListsThatDisagreeWithTheirSubnets(String podCIDRs, String gateways, String nodeIPs, String message, ControlPlane plane) {
    NodeNetwork nn = nodeNetwork("10.244.1.0/24", "10.244.1.1", "192.168.1.11");
    nn.getSpec().setPodCIDRs(List.of(podCIDRs.split(",")));
    nn.getSpec().setGateways(List.of(gateways.split(",")));
    nn.getSpec().setNodeIPs(List.of(nodeIPs.split(",")));
    assertThatThrownBy(() -> plane.client().resource(nn).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  @ParameterizedTest(name = "a NodeNetwork with nodeIP {0} is refused")
  @CsvSource({"127.0.0.1", "0.0.0.0", "169.254.3.4", "224.0.0.5", "255.255.255.255"})
  void refusesANodeIPPeersCannotRouteTo(String nodeIP, ControlPlane plane) {
    assertThatThrownBy(() -> plane.client().resource(nodeNetwork("10.244.1.0/24", "10.244.1.1", nodeIP)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.nodeIP must be the node's unicast address");
  }

  @Test
  void acceptsTheSubnetsFirstAddressAsGateway(ControlPlane plane) {
    plane.client().resource(nodeNetwork("10.120.0.64/26", "10.120.0.65", "172.31.200.70")).create();
    plane.client().resource(nodeNetwork("10.244.0.0/24", "10.244.0.1", "192.168.1.11")).create();
    plane.client().resource(nodeNetwork("fd00:10:244:1::/64", "fd00:10:244:1::1", "fd00:1::11")).create();
    plane.client().resource(nodeNetwork("fd00:10:244:1::ff00/120", "fd00:10:244:1::ff01", "")).create();
  }

  @ParameterizedTest(name = "a NodeNetwork with nodeIP {0} for {1} is refused")
  @CsvSource(delimiter = '|', value = {
      "fe80::1       | fd00:10:244:1::/64 | fd00:10:244:1::1 | spec.nodeIP must be the node's unicast address",
      "::1           | fd00:10:244:1::/64 | fd00:10:244:1::1 | spec.nodeIP must be the node's unicast address",
      "FD00:1::11    | fd00:10:244:1::/64 | fd00:10:244:1::1 | spec.nodeIP must be the node's unicast address in canonical form",
      "192.168.1.11  | fd00:10:244:1::/64 | fd00:10:244:1::1 | spec.nodeIP must be of the family of spec.podCIDR",
      "fd00:1::11    | 10.244.1.0/24      | 10.244.1.1       | spec.nodeIP must be of the family of spec.podCIDR",
  })
  void refusesAnIPv6NodeIPPeersCannotRouteTo(String nodeIP, String podCIDR, String gateway, String message, ControlPlane plane) {
    assertThatThrownBy(() -> plane.client().resource(nodeNetwork(podCIDR, gateway, nodeIP)).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  private static NodeNetwork nodeNetwork(String podCIDR, String gateway, String nodeIP) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName("node-" + NAMES.incrementAndGet()).build());
    nn.setSpec(new NodeNetworkSpec(nn.getMetadata().getName(), podCIDR, gateway, nodeIP));
    return nn;
  }

  private static void assertRefused(KubernetesClient client, Consumer<ClusterNetworkSpec> change, String message) {
    ClusterNetwork cn = clusterNetwork(change);
    assertThatThrownBy(() -> client.resource(cn).create())
        .isInstanceOf(KubernetesClientException.class)
        .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(422))
        .hasMessageContaining(message);
  }

  private static void assertUpdateRefused(KubernetesClient client, ClusterNetwork changed, String message) {
    assertThatThrownBy(() -> client.resource(changed).update())
        .isInstanceOf(KubernetesClientException.class)
        .hasMessageContaining(message);
  }

  private static ClusterNetwork clusterNetwork(Consumer<ClusterNetworkSpec> change) {
    ClusterNetwork cn = new ClusterNetwork();
    cn.setMetadata(new ObjectMetaBuilder().withName("cn-" + NAMES.incrementAndGet()).build());
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(List.of("10.244.0.0/16"));
    change.accept(spec);
    cn.setSpec(spec);
    return cn;
  }

  private static ClusterNetwork copy(ClusterNetwork cn, Consumer<ClusterNetworkSpec> change) {
    ClusterNetwork copy = new ClusterNetwork();
    copy.setMetadata(new ObjectMetaBuilder().withName(cn.getMetadata().getName())
        .withResourceVersion(cn.getMetadata().getResourceVersion()).build());
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(new ArrayList<>(cn.getSpec().getClusterCIDRs()));
    spec.setNodeSubnetPrefixLength(cn.getSpec().getNodeSubnetPrefixLength());
    spec.setNodeSubnetPrefixLengthIPv6(cn.getSpec().getNodeSubnetPrefixLengthIPv6());
    change.accept(spec);
    copy.setSpec(spec);
    return copy;
  }

  /** A ClusterNetwork as a user would write it: only the fields given, so defaults come from the CRD. */
  private static GenericKubernetesResource raw(String specJson) {
    return new KubernetesSerialization().unmarshal(
        "{\"apiVersion\":\"plainroute.io/v1alpha1\",\"kind\":\"ClusterNetwork\",\"metadata\":{\"name\":\"cn-"
            + NAMES.incrementAndGet() + "\"},\"spec\":" + specJson + "}",
        GenericKubernetesResource.class);
  }
}
