package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.netlink.nl.Rtnetlink;
import io.plainroute.testing.KernelTestBase;
import java.net.Inet4Address;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteIT extends KernelTestBase {
  private static final int OURS = 200;
  private static final int THEIRS = 201;
  private static final Inet4Address PEER = Ipv4Prefix.parseAddress("10.0.0.2");

  private String namespace;
  private NetlinkHandle handle;
  private int bridge;

  RouteIT() {
    super("prnl");
  }

  @BeforeEach
  void bridgeWithAnAddress() throws Exception {
    namespace = newNamespace();
    handle = netlink(namespace);
    bridge = handle.createBridge("prbr0").index();
    handle.setLinkUp(bridge);
    handle.addAddress(new Address(bridge, Ipv4Prefix.parse("10.0.0.1/24")));
  }

  @Test
  void routesAreAddedReplacedDumpedByProtocolAndDeleted() throws Exception {
    Route viaPeer = Route.via(Ipv4Prefix.parse("10.1.0.0/24"), PEER, bridge, OURS);
    Route onBridge = Route.onLink(Ipv4Prefix.parse("10.2.0.0/24"), bridge, OURS);
    ip(namespace, "route", "add", "10.3.0.0/24", "via", "10.0.0.3", "proto", String.valueOf(THEIRS));

    handle.addRoute(viaPeer);
    handle.addRoute(onBridge);

    assertThat(handle.routes(OURS)).containsExactlyInAnyOrder(viaPeer, onBridge);
    assertThat(ip(namespace, "route", "show", "proto", String.valueOf(OURS)))
        .contains("10.1.0.0/24 via 10.0.0.2 dev prbr0", "10.2.0.0/24 dev prbr0 scope link");

    Route viaOtherPeer = Route.via(viaPeer.destination(), Ipv4Prefix.parseAddress("10.0.0.9"), bridge, OURS);
    handle.replaceRoute(viaOtherPeer);

    assertThat(handle.routes(OURS)).containsExactlyInAnyOrder(viaOtherPeer, onBridge);
    assertThat(ip(namespace, "route", "show", "10.1.0.0/24")).contains("via 10.0.0.9");

    handle.deleteRoute(viaOtherPeer);
    handle.deleteRoute(onBridge);

    assertThat(handle.routes(OURS)).isEmpty();
    assertThat(handle.routes(THEIRS)).extracting(route -> route.destination().toString())
        .containsExactly("10.3.0.0/24");
    assertThat(ip(namespace, "route", "show")).contains("10.3.0.0/24 via 10.0.0.3 dev prbr0 proto " + THEIRS);
    assertThat(handle.routes()).extracting(Route::protocol).contains(Rtnetlink.RTPROT_KERNEL, THEIRS)
        .doesNotContain(OURS);
  }

  @Test
  void deleteMatchesTheProtocolSoAnotherOwnersRouteSurvives() throws Exception {
    ip(namespace, "route", "add", "10.3.0.0/24", "via", "10.0.0.3", "proto", String.valueOf(THEIRS));
    Route sameDestinationOurs = Route.via(Ipv4Prefix.parse("10.3.0.0/24"), Ipv4Prefix.parseAddress("10.0.0.3"),
        bridge, OURS);

    assertThatThrownBy(() -> handle.deleteRoute(sameDestinationOurs))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("ESRCH"));
    assertThat(handle.routes(THEIRS)).hasSize(1);
  }

  @Test
  void existingAndMissingRoutesAreEexistAndEsrch() throws Exception {
    Route route = Route.via(Ipv4Prefix.parse("10.1.0.0/24"), PEER, bridge, OURS);
    handle.addRoute(route);

    assertThatThrownBy(() -> handle.addRoute(route))
        .isInstanceOfSatisfying(NetlinkException.class, e -> {
          assertThat(e.errnoName()).isEqualTo("EEXIST");
          assertThat(e).hasMessageContaining("RTM_NEWROUTE 10.1.0.0/24 via 10.0.0.2");
        });
    handle.deleteRoute(route);
    assertThatThrownBy(() -> handle.deleteRoute(route))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.errnoName()).isEqualTo("ESRCH"));
  }

  @Test
  void prefixWithHostBitsIsRefusedWithTheKernelsMessage() throws Exception {
    Ipv4Prefix hostBitsSet = Ipv4Prefix.parse("10.200.3.7/24");

    assertThatThrownBy(() -> handle.addRoute(Route.onLink(hostBitsSet, bridge, OURS)))
        .isInstanceOfSatisfying(NetlinkException.class, e -> {
          assertThat(e.errnoName()).isEqualTo("EINVAL");
          assertThat(e.extendedAck()).contains("Invalid prefix for given prefix length");
        });

    handle.addRoute(Route.onLink(hostBitsSet.network(), bridge, OURS));
    assertThat(handle.routes(OURS)).extracting(Route::destination).containsExactly(hostBitsSet.network());
  }
}
