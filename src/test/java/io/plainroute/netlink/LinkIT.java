package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.testing.KernelTestBase;
import org.junit.jupiter.api.Test;

class LinkIT extends KernelTestBase {
  LinkIT() {
    super("prnl");
  }

  @Test
  void bridgeIsCreatedSetUpGivenAnMtuAndDeleted() throws Exception {
    String namespace = newNamespace();
    NetlinkHandle handle = netlink(namespace);

    Link bridge = handle.createBridge("prbr0");
    assertThat(bridge.kind()).isEqualTo("bridge");
    assertThat(bridge.up()).isFalse();
    assertThat(bridge.mac()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    handle.setLinkUp(bridge.index());
    handle.setMtu(bridge.index(), 1400);

    assertThat(handle.link("prbr0")).hasValueSatisfying(link -> {
      assertThat(link.up()).isTrue();
      assertThat(link.mtu()).isEqualTo(1400);
      assertThat(link.index()).isEqualTo(bridge.index());
    });
    assertThat(ip(namespace, "-d", "link", "show", "dev", "prbr0"))
        .contains("mtu 1400", ",UP", "link/ether " + bridge.mac(), "bridge forward_delay");
    assertThat(handle.links()).extracting(Link::name).containsExactlyInAnyOrder("lo", "prbr0");

    handle.deleteLink(bridge.index());
    assertThat(handle.link("prbr0")).isEmpty();
    assertThat(ip(namespace, "link", "show")).doesNotContain("prbr0");
  }

  @Test
  void aPortIsPutOnABridgeAndShowsItsMaster() throws Exception {
    String namespace = newNamespace();
    NetlinkHandle handle = netlink(namespace);
    Link bridge = handle.createBridge("prbr0");
    ip(namespace, "link", "add", "prport0", "type", "veth", "peer", "name", "prport1");
    int port = handle.link("prport0").orElseThrow().index();

    handle.setMaster(port, bridge.index());

    assertThat(handle.link("prport0")).hasValueSatisfying(link -> assertThat(link.master()).isEqualTo(bridge.index()));
    assertThat(handle.link("prport1")).hasValueSatisfying(link -> assertThat(link.master()).isZero());
    assertThat(ip(namespace, "link", "show", "dev", "prport0")).contains("master prbr0");
  }

  @Test
  void errorsNameTheirErrno() throws Exception {
    NetlinkHandle handle = netlink(newNamespace());
    handle.createBridge("prbr0");

    assertThatThrownBy(() -> handle.createBridge("prbr0"))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("EEXIST"));
    assertThatThrownBy(() -> handle.setMtu(9999, 1400))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("ENODEV"));
  }
}
