package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static io.plainroute.testing.TestNamespaces.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.plainroute.testing.KernelTestBase;
import java.net.Inet6Address;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * IPv6 through the handle on a real kernel, beside IPv4: addresses (nodad), routes added,
 * replaced, dumped by protocol, batched with IPv4 ones and deleted, and the notifications of both
 * families and of forwarding switches. ULA addresses, inside the test's own namespace only.
 */
class Ipv6IT extends KernelTestBase {
  Ipv6IT() {
    super("prnl");
  }

  private static final int OURS = 202;
  private static final int THEIRS = 201;
  private static final Duration WITHIN = Duration.ofSeconds(2);
  private static final Inet6Address PEER = Ipv6Prefix.parseAddress("fd00:0:0:1::2");

  private final BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
  private String namespace;
  private NetlinkHandle handle;
  private int uplink;

  @BeforeEach
  void aLinkWithAnAddressOfEachFamily() throws Exception {
    namespace = newNamespace();
    handle = netlink(namespace);
    ip(namespace, "link", "add", "eth0", "type", "veth", "peer", "name", "lan0");
    ip(namespace, "link", "set", "lan0", "up");
    uplink = handle.link("eth0").orElseThrow().index();
    handle.setLinkUp(uplink);
    handle.addAddress(new Address(uplink, Ipv4Prefix.parse("10.0.0.1/24")));
    handle.addAddressWithoutDad(new Address(uplink, Ipv6Prefix.parse("fd00:0:0:1::1/64")));
  }

  @Test
  void anIpv6AddressWithoutDadIsUsableAtOnceListedAndRemoved() throws Exception {
    Address gateway = new Address(uplink, Ipv6Prefix.parse("fd00:10:244:1::1/64"));

    handle.addAddressWithoutDad(gateway);

    assertThat(handle.addresses(uplink)).contains(gateway, new Address(uplink, Ipv4Prefix.parse("10.0.0.1/24")));
    String shown = ip(namespace, "-6", "addr", "show", "dev", "eth0");
    assertThat(shown).contains("inet6 fd00:10:244:1::1/64");
    assertThat(shown.lines().filter(line -> line.contains("fd00:10:244:1::1"))).noneMatch(line -> line.contains("tentative"));
    assertThatThrownBy(() -> handle.addAddressWithoutDad(gateway))
        .isInstanceOfSatisfying(NetlinkException.class, e -> assertThat(e.is(Errno.EEXIST)).isTrue());

    handle.deleteAddress(gateway);

    assertThat(handle.addresses(uplink)).doesNotContain(gateway);
    assertThat(ip(namespace, "-6", "addr", "show", "dev", "eth0")).doesNotContain("fd00:10:244:1::1");
  }

  @Test
  void ipv6RoutesAreAddedReplacedDumpedByProtocolAndDeleted() throws Exception {
    Route viaPeer = Route.via(Ipv6Prefix.parse("fd00:10:244:2::/64"), PEER, uplink, OURS);
    ip(namespace, "-6", "route", "add", "fd00:10:244:3::/64", "via", "fd00:0:0:1::3", "proto", String.valueOf(THEIRS));

    handle.addRoute(viaPeer);

    assertThat(handle.routes(OURS)).containsExactly(viaPeer);
    assertThat(handle.routes()).contains(viaPeer).anyMatch(r -> r.protocol() == THEIRS
        && r.destination().equals(Ipv6Prefix.parse("fd00:10:244:3::/64")));
    assertThat(ip(namespace, "-6", "route", "show", "proto", String.valueOf(OURS)))
        .contains("fd00:10:244:2::/64 via fd00:0:0:1::2 dev eth0");

    Route viaOtherPeer = Route.via(viaPeer.destination(), Ipv6Prefix.parseAddress("fd00:0:0:1::9"), uplink, OURS);
    handle.replaceRoute(viaOtherPeer);

    assertThat(handle.routes(OURS)).containsExactly(viaOtherPeer);
    assertThat(ip(namespace, "-6", "route", "show", "fd00:10:244:2::/64")).contains("via fd00:0:0:1::9");

    handle.deleteRoute(viaOtherPeer);

    assertThat(handle.routes(OURS)).isEmpty();
    assertThat(ip(namespace, "-6", "route", "show", "proto", String.valueOf(THEIRS))).contains("fd00:10:244:3::/64");
  }

  @Test
  void aBatchMixesBothFamiliesAndReportsOnlyWhatTheKernelRefused() throws Exception {
    Route v4 = Route.via(Ipv4Prefix.parse("10.244.2.0/24"), Ipv4Prefix.parseAddress("10.0.0.2"), uplink, OURS);
    Route v6 = Route.via(Ipv6Prefix.parse("fd00:10:244:2::/64"), PEER, uplink, OURS);
    Route missing = Route.via(Ipv6Prefix.parse("fd00:10:244:4::/64"), PEER, uplink, OURS);

    List<RouteChange.Failure> failures = handle.applyRoutes(List.of(RouteChange.add(v4), RouteChange.add(v6), RouteChange.delete(missing)));

    assertThat(failures).extracting(RouteChange.Failure::change).containsExactly(RouteChange.delete(missing));
    assertThat(failures.get(0).error().is(Errno.ESRCH)).isTrue();
    assertThat(handle.routes(OURS)).containsExactlyInAnyOrder(v4, v6);
    assertThat(ip(namespace, "-6", "route", "show", "proto", String.valueOf(OURS))).contains("fd00:10:244:2::/64 via fd00:0:0:1::2");
    assertThat(ip(namespace, "route", "show", "proto", String.valueOf(OURS))).contains("10.244.2.0/24 via 10.0.0.2");
  }

  @Test
  void ipv6RouteAndAddressChangesByIpAreSeen() throws Exception {
    handle.subscribe(events::add);

    ip(namespace, "-6", "route", "add", "fd00:10:244:5::/64", "via", "fd00:0:0:1::5", "proto", String.valueOf(OURS));
    ip(namespace, "-6", "addr", "add", "fd00:0:0:7::1/64", "dev", "eth0", "nodad");

    assertThat(awaitEvent(e -> e instanceof NetlinkEvent.RouteChanged r && r.route().family() == IpFamily.IPV6
        && r.route().protocol() == OURS))
        .isInstanceOfSatisfying(NetlinkEvent.RouteChanged.class, r -> assertThat(r.route()).isEqualTo(
            Route.via(Ipv6Prefix.parse("fd00:10:244:5::/64"), Ipv6Prefix.parseAddress("fd00:0:0:1::5"), uplink, OURS)));
    assertThat(awaitEvent(e -> e instanceof NetlinkEvent.AddressChanged a && a.address().local().family() == IpFamily.IPV6
        && !((Ipv6Prefix) a.address().local()).isLinkLocal()))
        .isInstanceOfSatisfying(NetlinkEvent.AddressChanged.class, a -> assertThat(a.address())
            .isEqualTo(new Address(uplink, Ipv6Prefix.parse("fd00:0:0:7::1/64"))));
  }

  @Test
  void forwardingSwitchesTurnedByHandAreAnnounced() throws Exception {
    handle.subscribe(events::add);

    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=0");
    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv6.conf.all.forwarding=1");
    assertThat(awaitEvent(e -> e instanceof NetlinkEvent.ForwardingChanged f && f.family() == IpFamily.IPV6
        && f.linkIndex() == NetlinkEvent.ForwardingChanged.ALL && f.on()))
        .isEqualTo(new NetlinkEvent.ForwardingChanged(IpFamily.IPV6, NetlinkEvent.ForwardingChanged.ALL, true));

    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.conf.eth0.forwarding=0");
    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.conf.eth0.forwarding=1");
    assertThat(awaitEvent(e -> e instanceof NetlinkEvent.ForwardingChanged f && f.family() == IpFamily.IPV4
        && f.linkIndex() == uplink && f.on()))
        .isEqualTo(new NetlinkEvent.ForwardingChanged(IpFamily.IPV4, uplink, true));

    // Only a change of value is announced, and a new namespace may start with either.
    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.ip_forward=1");
    run("ip", "netns", "exec", namespace, "sysctl", "-qw", "net.ipv4.ip_forward=0");
    assertThat(awaitEvent(e -> e instanceof NetlinkEvent.ForwardingChanged f && f.family() == IpFamily.IPV4
        && f.linkIndex() == NetlinkEvent.ForwardingChanged.ALL && !f.on()))
        .isEqualTo(new NetlinkEvent.ForwardingChanged(IpFamily.IPV4, NetlinkEvent.ForwardingChanged.ALL, false));
  }

  private NetlinkEvent awaitEvent(Predicate<NetlinkEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    for (long left = WITHIN.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      NetlinkEvent event = events.poll(left, TimeUnit.NANOSECONDS);
      if (event != null && wanted.test(event)) {
        return event;
      }
    }
    throw new AssertionError("no such event within " + WITHIN);
  }
}
