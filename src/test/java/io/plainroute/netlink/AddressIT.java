package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.testing.KernelTestBase;
import org.junit.jupiter.api.Test;

class AddressIT extends KernelTestBase {
  AddressIT() {
    super("prnl");
  }

  @Test
  void addressIsAddedListedAndRemoved() throws Exception {
    String namespace = newNamespace();
    NetlinkHandle handle = netlink(namespace);
    int bridge = handle.createBridge("prbr0").index();
    Address address = new Address(bridge, Ipv4Prefix.parse("10.0.1.1/24"));

    handle.addAddress(address);

    assertThat(handle.addresses(bridge)).containsExactly(address);
    assertThat(handle.addresses()).contains(new Address(1, Ipv4Prefix.parse("127.0.0.1/8")), address);
    assertThat(ip(namespace, "-4", "addr", "show", "dev", "prbr0")).contains("inet 10.0.1.1/24");
    assertThatThrownBy(() -> handle.addAddress(address))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.EEXIST)).isTrue());

    handle.deleteAddress(address);

    assertThat(handle.addresses(bridge)).isEmpty();
    assertThat(ip(namespace, "-4", "addr", "show", "dev", "prbr0")).doesNotContain("inet ");
    assertThatThrownBy(() -> handle.deleteAddress(address))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.EADDRNOTAVAIL)).isTrue());
  }
}
