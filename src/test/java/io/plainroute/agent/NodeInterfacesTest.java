package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.netlink.Address;
import io.plainroute.netlink.IpPrefix;
import io.plainroute.netlink.Link;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The uplink of each family, found by the node's address of that family among one dump's addresses. */
class NodeInterfacesTest {
  private static final NodeInterfaces NODE = new NodeInterfaces(
      List.of(new Link(2, "eth0", true, 1500, "02:00:00:00:00:11", ""), new Link(3, "eth1", true, 9000, "02:00:00:00:00:12", "")),
      List.of(new Address(2, IpPrefix.parse("192.168.1.11/24")), new Address(2, IpPrefix.parse("fe80::11/64")),
          new Address(3, IpPrefix.parse("fd00:192:168:1::11/64")), new Address(3, IpPrefix.parse("fe80::12/64"))));

  @Test
  void eachFamilysUplinkIsTheInterfaceHoldingThatFamilysNodeAddressWithItsNetworksOfThatFamily() {
    assertThat(NODE.uplink(IpPrefix.parseAddress("192.168.1.11"))).hasValueSatisfying(uplink -> {
      assertThat(uplink.name()).isEqualTo("eth0");
      assertThat(uplink.prefixes()).containsExactly(IpPrefix.parse("192.168.1.0/24"));
    });
    assertThat(NODE.uplink(IpPrefix.parseAddress("fd00:192:168:1::11"))).hasValueSatisfying(uplink -> {
      assertThat(uplink.name()).isEqualTo("eth1");
      assertThat(uplink.prefixes()).as("not the link-local fe80::/64").containsExactly(IpPrefix.parse("fd00:192:168:1::/64"));
      assertThat(uplink.isOnLink(IpPrefix.parseAddress("fd00:192:168:1::12"))).isTrue();
      assertThat(uplink.isOnLink(IpPrefix.parseAddress("fe80::13"))).isFalse();
    });
    assertThat(NODE.uplink(IpPrefix.parseAddress("fd00:99::11"))).isEmpty();
  }
}
