package io.plainroute.netlink;

import static io.plainroute.testing.TestNamespaces.ip;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.KernelTestBase;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EventSubscriptionIT extends KernelTestBase {
  private static final Duration WITHIN = Duration.ofSeconds(1);

  private final BlockingQueue<NetlinkEvent> events = new LinkedBlockingQueue<>();
  private String namespace;
  private NetlinkHandle handle;
  private int bridge;

  EventSubscriptionIT() {
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
  void routeDeletedByIpIsSeenWithinASecond() throws Exception {
    Route route = Route.via(Ipv4Prefix.parse("10.1.0.0/24"), Ipv4Prefix.parseAddress("10.0.0.2"), bridge, 200);
    handle.addRoute(route);
    handle.subscribe(events::add);

    ip(namespace, "route", "del", "10.1.0.0/24");

    assertThat(awaitEvent(event -> event instanceof NetlinkEvent.RouteChanged changed && changed.deleted()))
        .isInstanceOfSatisfying(NetlinkEvent.RouteChanged.class, changed -> {
          assertThat(changed.route()).isEqualTo(route);
          assertThat(changed.senderPort()).as("the port of ip's socket").isNotIn(0, handle.portId());
        });
  }

  @Test
  void aChangeMadeThroughTheHandleCarriesItsPortId() throws Exception {
    Route route = Route.via(Ipv4Prefix.parse("10.1.0.0/24"), Ipv4Prefix.parseAddress("10.0.0.2"), bridge, 200);
    handle.addRoute(route);
    handle.subscribe(events::add);

    handle.deleteRoute(route);

    assertThat(awaitEvent(event -> event instanceof NetlinkEvent.RouteChanged changed && changed.deleted()))
        .isEqualTo(new NetlinkEvent.RouteChanged(route, true, handle.portId()));
  }

  @Test
  void linkSetDownByIpIsSeenWithinASecond() throws Exception {
    handle.subscribe(events::add);

    ip(namespace, "link", "set", "dev", "prbr0", "down");

    assertThat(awaitEvent(event -> event instanceof NetlinkEvent.LinkChanged changed && !changed.link().up()))
        .isInstanceOfSatisfying(NetlinkEvent.LinkChanged.class, changed -> {
          assertThat(changed.link().name()).isEqualTo("prbr0");
          assertThat(changed.deleted()).isFalse();
        });
  }

  @Test
  void addressAddedByIpIsSeen() throws Exception {
    handle.subscribe(events::add);

    ip(namespace, "addr", "add", "10.0.2.1/24", "dev", "prbr0");

    assertThat(awaitEvent(event -> event instanceof NetlinkEvent.AddressChanged))
        .isInstanceOfSatisfying(NetlinkEvent.AddressChanged.class, changed -> {
          assertThat(changed.address()).isEqualTo(new Address(bridge, Ipv4Prefix.parse("10.0.2.1/24")));
          assertThat(changed.deleted()).isFalse();
        });
  }

  @Test
  void nothingIsDeliveredAfterClose() throws Exception {
    EventSubscription subscription = handle.subscribe(events::add);
    subscription.close();

    ip(namespace, "link", "set", "dev", "prbr0", "down");

    assertThat(events.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  private NetlinkEvent awaitEvent(Predicate<NetlinkEvent> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + WITHIN.toNanos();
    for (long left = WITHIN.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      NetlinkEvent event = events.poll(left, TimeUnit.NANOSECONDS);
      if (event != null && wanted.test(event)) {
        return event;
      }
    }
    throw new AssertionError("no such event within " + WITHIN + "; other events: " + events);
  }
}
