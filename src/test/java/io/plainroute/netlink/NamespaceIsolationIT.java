package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static io.plainroute.testing.TestNamespaces.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.KernelTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Two handles on two namespaces in one JVM, used at once, each see and change only their own. */
class NamespaceIsolationIT extends KernelTestBase {
  private static final int OURS = 200;
  private static final int ROUTES_PER_THREAD = 100;

  NamespaceIsolationIT() {
    super("prnl");
  }

  @Test
  void sameNamesAndAddressesInTwoNamespacesDoNotMeet() throws Exception {
    String first = newNamespace();
    String second = newNamespace();
    NetlinkHandle one = netlink(first);
    NetlinkHandle two = netlink(second);

    int bridgeOne = bridgeWithAddress(one);
    int bridgeTwo = bridgeWithAddress(two);
    one.addRoute(Route.onLink(Ipv4Prefix.parse("10.1.0.0/24"), bridgeOne, OURS));

    assertThat(one.routes(OURS)).hasSize(1);
    assertThat(two.routes(OURS)).isEmpty();
    assertThat(ip(second, "route", "show")).doesNotContain("10.1.0.0/24");
    // The kernel's own IPv6 link-local address of the bridge aside: it is on every IPv6 link.
    assertThat(two.addresses(bridgeTwo)).filteredOn(a -> a.local().family() == IpFamily.IPV4)
        .containsExactly(new Address(bridgeTwo, Ipv4Prefix.parse("10.0.0.1/24")));
  }

  @Test
  void handlesUsedFromManyThreadsAtOnceKeepToTheirNamespace() throws Exception {
    NetlinkHandle one = netlink(newNamespace());
    NetlinkHandle two = netlink(newNamespace());
    int bridgeOne = bridgeWithAddress(one);
    int bridgeTwo = bridgeWithAddress(two);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<Void>> done = List.of(
          callers.submit(() -> addRoutes(one, bridgeOne, 1)), callers.submit(() -> addRoutes(one, bridgeOne, 2)),
          callers.submit(() -> addRoutes(two, bridgeTwo, 3)), callers.submit(() -> addRoutes(two, bridgeTwo, 4)));
      for (Future<Void> future : done) {
        future.get();
      }
    } finally {
      callers.shutdownNow();
    }

    assertThat(one.routes(OURS)).hasSize(2 * ROUTES_PER_THREAD)
        .allSatisfy(route -> assertThat(route.destination().toString()).matches("10\\.[12]\\..*"));
    assertThat(two.routes(OURS)).hasSize(2 * ROUTES_PER_THREAD)
        .allSatisfy(route -> assertThat(route.destination().toString()).matches("10\\.[34]\\..*"));
  }

  @Test
  void ipForwardingIsSetInTheHandlesNamespaceOnly() throws Exception {
    String first = newNamespace();
    String second = newNamespace();
    NetlinkHandle one = netlink(first);
    NetlinkHandle two = netlink(second);
    String machine = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));

    one.setIpv4Forwarding(true);

    assertThat(one.ipv4Forwarding()).isTrue();
    assertThat(two.ipv4Forwarding()).isFalse();
    assertThat(run("ip", "netns", "exec", first, "sysctl", "-n", "net.ipv4.ip_forward")).isEqualTo("1\n");
    assertThat(run("ip", "netns", "exec", second, "sysctl", "-n", "net.ipv4.ip_forward")).isEqualTo("0\n");
    assertThat(Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"))).isEqualTo(machine);

    one.setIpv4Forwarding(false);
    assertThat(run("ip", "netns", "exec", first, "sysctl", "-n", "net.ipv4.ip_forward")).isEqualTo("0\n");
  }

  private static int bridgeWithAddress(NetlinkHandle handle) throws NetlinkException {
    int bridge = handle.createBridge("prbr0").index();
    handle.setLinkUp(bridge);
    handle.addAddress(new Address(bridge, Ipv4Prefix.parse("10.0.0.1/24")));
    return bridge;
  }

  private static Void addRoutes(NetlinkHandle handle, int bridge, int secondOctet) throws NetlinkException {
    for (int i : IntStream.range(0, ROUTES_PER_THREAD).toArray()) {
      handle.addRoute(Route.onLink(Ipv4Prefix.parse("10." + secondOctet + "." + i + ".0/24"), bridge, OURS));
    }
    return null;
  }
}
