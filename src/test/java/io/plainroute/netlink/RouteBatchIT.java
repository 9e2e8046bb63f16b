package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.netns.NetworkNamespace;

import io.plainroute.testing.KernelTestBase;
import java.net.Inet4Address;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RouteBatchIT extends KernelTestBase {
  private static final int OURS = 200;
  private static final int ROUTES = 5_000;
  private static final Inet4Address PEER = Ipv4Prefix.parseAddress("10.0.0.2");
  RouteBatchIT() {
    super("prnl");
  }

  /** Room for a few hundred errors, but a thousand requests per datagram. */
  private static final NetlinkConnection.Tuning OVERFLOWING =
      new NetlinkConnection.Tuning(256 * 1024, OptionalInt.of(ROUTES));

  private String namespace;

  @BeforeEach
  void createNamespace() throws Exception {
    namespace = newNamespace();
  }

  @Test
  void fiveThousandRoutesAreInstalledDumpedBackAndDeleted() throws Exception {
    NetlinkHandle handle = netlink(namespace);
    List<Route> routes = routesVia(bridgeWithAddress(handle));

    long start = System.nanoTime();
    List<RouteChange.Failure> failures = handle.applyRoutes(routes.stream().map(RouteChange::add).toList());
    long added = System.nanoTime();
    List<Route> dumped = handle.routes(OURS);
    long dumpedAt = System.nanoTime();

    assertThat(failures).isEmpty();
    assertThat(dumped).containsExactlyInAnyOrderElementsOf(routes);
    assertThat(ip(namespace, "route", "show", "proto", String.valueOf(OURS)).lines()).hasSize(ROUTES);

    long deleteStart = System.nanoTime();
    assertThat(handle.applyRoutes(routes.stream().map(RouteChange::delete).toList())).isEmpty();
    long deleted = System.nanoTime();
    assertThat(handle.routes(OURS)).isEmpty();
    System.out.printf("%,d routes: add %.1f ms, dump %.1f ms, delete %.1f ms%n", ROUTES, millis(start, added),
        millis(added, dumpedAt), millis(deleteStart, deleted));
  }

  @Test
  void eachErrorIsMappedToTheChangeThatCausedIt() throws Exception {
    NetlinkHandle handle = netlink(namespace);
    int bridge = bridgeWithAddress(handle);
    Route kept = Route.via(Ipv4Prefix.parse("10.1.0.0/24"), PEER, bridge, OURS);
    Route missing = Route.via(Ipv4Prefix.parse("10.2.0.0/24"), PEER, bridge, OURS);
    Route hostBitsSet = Route.onLink(Ipv4Prefix.parse("10.3.0.7/24"), bridge, OURS);
    Route replaced = Route.onLink(Ipv4Prefix.parse("10.4.0.0/24"), bridge, OURS);
    List<RouteChange> changes = List.of(RouteChange.add(kept), RouteChange.add(kept), RouteChange.delete(missing),
        RouteChange.add(hostBitsSet), RouteChange.replace(replaced));

    List<RouteChange.Failure> failures = handle.applyRoutes(changes);

    assertThat(failures).extracting(RouteChange.Failure::change).containsExactly(changes.get(1), changes.get(2),
        changes.get(3));
    assertThat(failures).extracting(failure -> failure.error().errnoName()).containsExactly("EEXIST", "ESRCH",
        "EINVAL");
    assertThat(failures.get(2).error().extendedAck()).contains("Invalid prefix for given prefix length");
    assertThat(handle.routes(OURS)).containsExactlyInAnyOrder(kept, replaced);
  }

  @Test
  void repliesLostToAnOverflowingReceiveBufferAreSettledFromADump() throws Exception {
    NetlinkHandle handle = closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace), OVERFLOWING));
    int bridge = bridgeWithAddress(handle);
    List<Route> valid = routesVia(bridge).subList(0, ROUTES / 2);
    // Refused with EINVAL: thousands of errors, more than the receive buffer holds.
    List<Route> invalid = IntStream.range(0, ROUTES / 2)
        .mapToObj(i -> Route.onLink(Ipv4Prefix.parse("10." + (192 + i / 256) + "." + (i % 256) + ".7/24"), bridge, OURS))
        .toList();
    List<RouteChange> changes = IntStream.range(0, ROUTES / 2)
        .boxed().flatMap(i -> Stream.of(RouteChange.add(valid.get(i)), RouteChange.add(invalid.get(i))))
        .toList();

    List<RouteChange.Failure> failures = handle.applyRoutes(changes);

    assertThat(failures).extracting(failure -> failure.change().route()).containsExactlyElementsOf(invalid);
    assertThat(failures).extracting(failure -> failure.error().errnoName()).containsOnly("EINVAL", "ENOBUFS")
        .as("some errors were lost and settled from the dump").contains("ENOBUFS");
    assertThat(handle.routes(OURS)).containsExactlyInAnyOrderElementsOf(valid);
  }

  @Test
  void aBatchWithoutErrorsFitsAnySmallReceiveBuffer() throws Exception {
    NetlinkHandle handle = closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace), OVERFLOWING));
    List<Route> routes = routesVia(bridgeWithAddress(handle));

    assertThat(handle.applyRoutes(routes.stream().map(RouteChange::add).toList())).isEmpty();
    assertThat(handle.routes(OURS)).containsExactlyInAnyOrderElementsOf(routes);

    assertThat(handle.applyRoutes(routes.stream().map(RouteChange::delete).toList())).isEmpty();
    assertThat(handle.routes(OURS)).isEmpty();
  }

  private static int bridgeWithAddress(NetlinkHandle handle) throws NetlinkException {
    int bridge = handle.createBridge("prbr0").index();
    handle.setLinkUp(bridge);
    handle.addAddress(new Address(bridge, Ipv4Prefix.parse("10.0.0.1/24")));
    return bridge;
  }

  /** 10.128.0.0/24, 10.128.1.0/24, ... through the peer on the bridge. */
  private static List<Route> routesVia(int bridge) {
    return IntStream.range(0, ROUTES)
        .mapToObj(i -> Ipv4Prefix.parse("10." + (128 + i / 256) + "." + (i % 256) + ".0/24"))
        .map(destination -> Route.via(destination, PEER, bridge, OURS))
        .toList();
  }

  private static double millis(long from, long to) {
    return (to - from) / 1e6;
  }
}
