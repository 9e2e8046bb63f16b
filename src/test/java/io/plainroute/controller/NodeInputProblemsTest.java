package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.Family;
import io.plainroute.ipam.PoolSpec;
import io.plainroute.ipam.SubnetPool;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NodeInputProblemsTest {
  private static final SubnetPool POOL = ((PoolSpec.Valid) PoolSpec.validate(List.of("10.244.0.0/16"), 24)).pools().primary();

  @ParameterizedTest(name = "podCIDR {0} {1}")
  @CsvSource(delimiter = '|', value = {
      "10.99.0.0/24   | lies outside spec.clusterCIDRs",
      "10.244.0.0/24  | is held by another node",
      "10.244.90.0/25 | is not a /24 of spec.clusterCIDRs",
      "10.244.9.1/24  | is not an IPv4 network",
  })
  void aPodCIDRThatWasNotAdoptedIsExplained(String podCIDR, String why) throws Exception {
    Set<IPAddress> taken = Set.of(Cidrs.parseNetwork("10.244.0.0/24"));
    assertThat(NodeInputProblems.podCIDRNotUsed(node("10.0.0.5", podCIDR), POOL, taken, net("10.244.3.0/24"), "default")).hasValueSatisfying(m ->
        assertThat(m).startsWith("Node.spec.podCIDR " + podCIDR + " " + why + " of ClusterNetwork default, so the pods on this node get "
            + "IPv4 addresses from 10.244.3.0/24"));
  }

  @Test
  void anAdoptedOrAbsentPodCIDRIsNoProblem() {
    assertThat(NodeInputProblems.podCIDRNotUsed(node("10.0.0.5", "10.244.3.0/24"), POOL, Set.of(), net("10.244.3.0/24"), "default")).isEmpty();
    assertThat(NodeInputProblems.podCIDRNotUsed(node("10.0.0.5", null), POOL, Set.of(), net("10.244.3.0/24"), "default")).isEmpty();
  }

  @ParameterizedTest(name = "InternalIP {0} is no node IP")
  @CsvSource({"fd00::21", "127.0.0.1", "169.254.1.1", "0.0.0.0", "255.255.255.255", "224.0.0.1", "not-an-ip", "010.0.0.5"})
  void aNodeWithoutAUnicastIPv4AddressIsReported(String address) {
    assertThat(NodeAddresses.nodeIP(node(address, null), Family.IPv4)).isEmpty();
    assertThat(NodeInputProblems.noNodeIP(node(address, null), net("10.244.3.0/24"))).hasValueSatisfying(m -> assertThat(m)
        .isEqualTo("Node n1 reports no unicast IPv4 InternalIP or ExternalIP (InternalIP " + address + "), so no peer can route its pod "
            + "subnet 10.244.3.0/24 to it: give the node an IPv4 address (kubelet --node-ip)."));
  }

  @Test
  void aNodeWithAUnicastIPv4AddressIsNotReported() {
    assertThat(NodeInputProblems.noNodeIP(node("192.168.1.11", null), net("10.244.3.0/24"))).isEmpty();
  }

  private static IPAddress net(String cidr) {
    return Cidrs.network(cidr).orElseThrow();
  }

  private static Node node(String internalIP, String podCIDR) {
    return new NodeBuilder().withNewMetadata().withName("n1").endMetadata()
        .withNewSpec().withPodCIDR(podCIDR).endSpec()
        .withNewStatus().addNewAddress().withType("InternalIP").withAddress(internalIP).endAddress()
        .addNewAddress().withType("Hostname").withAddress("n1").endAddress().endStatus().build();
  }
}
