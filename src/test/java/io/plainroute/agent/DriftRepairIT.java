package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetwork;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The event fast path on a real kernel, without an API server: one pass programs a node
 * namespace, then changes made by someone else are put back straight from the kernel's
 * notifications — while the passes asked for are only counted, never run — and changes of links
 * plainroute does not own ask for no pass at all.
 */
class DriftRepairIT extends NodeKernelTestBase {
  private static final Duration SOON = Duration.ofSeconds(5);
  private final AtomicInteger passesAsked = new AtomicInteger();
  private final AtomicInteger followUpsAsked = new AtomicInteger();
  private final AtomicInteger repairsTimed = new AtomicInteger();

  DriftRepairIT() {
    super("prag");
  }

  @BeforeEach
  void aProgrammedNode() throws Exception {
    programmed(List.of(peer("node02", "10.244.2.0/24", "192.168.1.12"), peer("node03", "10.244.3.0/24", "192.168.1.13")));
    closedAfterTest(netlink.subscribe(new KernelEvents(dataplane, passesAsked::incrementAndGet, followUpsAsked::incrementAndGet,
        nanos -> repairsTimed.incrementAndGet())));
  }

  @Test
  void aDeletedRouteIsAddedAgainWithoutAFullPass() throws Exception {
    ip("route", "del", "10.244.2.0/24");

    await().atMost(SOON).pollInterval(Duration.ofMillis(10))
        .until(() -> ip("route", "show", "proto", "202").contains("10.244.2.0/24 via 192.168.1.12 dev eth0"));
    // Only counted, never run: the route came back from the notification alone.
    await().atMost(SOON).until(() -> repairsTimed.get() == 1);
    assertThat(followUpsAsked).as("a pass follows for the status").hasValue(1);
    assertThat(passesAsked).hasValue(0);
  }

  @Test
  void aRouteChangedToAnotherNextHopIsPutBack() throws Exception {
    ip("route", "replace", "10.244.3.0/24", "via", "192.168.1.99", "dev", "eth0", "proto", "202");

    await().atMost(SOON).pollInterval(Duration.ofMillis(10))
        .until(() -> ip("route", "show", "proto", "202").contains("10.244.3.0/24 via 192.168.1.13 dev eth0"));
    await().atMost(SOON).until(() -> repairsTimed.get() == 1);
  }

  @Test
  void aPeerRouteReplacedBySomeoneElsesAsksForAPassThatReportsIt() throws Exception {
    ip("route", "replace", "10.244.3.0/24", "via", "192.168.1.99", "dev", "eth0", "proto", "boot");

    // Someone else's route is never touched: the pass asked for reports it in RoutesReady.
    await().atMost(SOON).pollInterval(Duration.ofMillis(10)).until(() -> passesAsked.get() == 1);
    assertThat(ip("route", "show", "10.244.3.0/24")).contains("via 192.168.1.99");
    assertThat(ip("route", "show", "proto", "202")).doesNotContain("10.244.3.0/24");
  }

  @Test
  void theAgentsOwnDeletionOfAPeerThatLeftIsNotUndone() throws Exception {
    programmed(List.of(peer("node02", "10.244.2.0/24", "192.168.1.12")));
    assertThat(ip("route", "show", "proto", "202")).doesNotContain("10.244.3.0/24");

    // Events arrive in order: once this repair is seen, the deletion's event was read before it.
    ip("route", "del", "10.244.2.0/24");
    await().atMost(SOON).until(() -> repairsTimed.get() == 1);
    assertThat(ip("route", "show", "proto", "202")).doesNotContain("10.244.3.0/24");
    assertThat(passesAsked).hasValue(0);
  }

  @Test
  void theBridgeSetDownAndItsGatewayAddressRemovedArePutBackWithoutAFullPass() throws Exception {
    ip("link", "set", "cni0", "down");
    await().atMost(SOON).pollInterval(Duration.ofMillis(10))
        .until(() -> Pattern.compile("[<,]UP[,>]").matcher(ip("-o", "link", "show", "cni0")).find());

    ip("addr", "del", "10.244.1.1/24", "dev", "cni0");
    await().atMost(SOON).pollInterval(Duration.ofMillis(10))
        .until(() -> ip("-o", "-4", "addr", "show", "dev", "cni0").contains("10.244.1.1/24"));
    await().atMost(SOON).until(() -> repairsTimed.get() == 2);
  }

  @Test
  void linksAndAddressesOfOthersAskForNoPass() throws Exception {
    // What a CNI ADD does to the node: a veth whose host end joins the bridge, comes up, and
    // another interface getting an address.
    ip("link", "add", "veth1", "type", "veth", "peer", "name", "vpod1");
    ip("link", "set", "veth1", "master", "cni0", "up");
    ip("link", "set", "vpod1", "up");
    ip("link", "set", "vpod1", "mtu", "1400");
    ip("addr", "add", "10.99.0.1/24", "dev", "vpod1");
    ip("route", "add", "10.98.0.0/24", "via", "192.168.1.12");

    // Events arrive in order: once this repair is seen, every change above was judged.
    ip("route", "del", "10.244.2.0/24");
    await().atMost(SOON).until(() -> repairsTimed.get() == 1);
    assertThat(passesAsked).as("no pass at once").hasValue(0);
    assertThat(followUpsAsked).as("only the repair's follow-up").hasValue(1);
  }

  @Test
  void theUplinkChangingAsksForAPass() throws Exception {
    ip("link", "set", "eth0", "mtu", "1400");
    await().atMost(SOON).until(() -> passesAsked.get() >= 1);
  }

  private void programmed(List<NodeNetwork> peers) {
    DataplaneReport report = pass(peers);
    assertThat(report.routes().ok()).as(report.routes().message()).isTrue();
    assertThat(report.bridge().ok()).as(report.bridge().message()).isTrue();
  }
}
