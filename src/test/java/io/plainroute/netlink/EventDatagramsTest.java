package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ROUTE_DUMP_REPLY;
import static io.plainroute.netlink.KernelCaptures.datagram;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an {@link EventSubscription}'s reader does with each datagram from the kernel: a garbage
 * datagram is counted, logged and reported as lost events (the agent then reads the state again),
 * and the events that follow still arrive. Nothing a datagram holds ends the reader.
 */
class EventDatagramsTest {
  private final List<NetlinkEvent> events = new ArrayList<>();
  private final EventDatagrams datagrams = new EventDatagrams(events::add);

  @Test
  void garbageIsCountedAndReportedAsLostAndTheNextDatagramIsDecoded() {
    ByteBuffer garbage = datagram(ROUTE_DUMP_REPLY);
    garbage.put(16 + 1, (byte) 99);

    datagrams.accept(garbage);
    datagrams.accept(datagram(ROUTE_DUMP_REPLY));

    assertThat(datagrams.skipped()).isEqualTo(1);
    assertThat(events).hasSize(3);
    assertThat(events.get(0)).isInstanceOf(NetlinkEvent.EventsLost.class);
    assertThat(events.subList(1, 3)).allSatisfy(event -> assertThat(event).isInstanceOf(NetlinkEvent.RouteChanged.class));
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheEventsAfterIt() {
    List<NetlinkEvent> delivered = new ArrayList<>();
    EventDatagrams failing = new EventDatagrams(event -> {
      delivered.add(event);
      throw new IllegalStateException("listener bug");
    });

    failing.accept(datagram(ROUTE_DUMP_REPLY));

    assertThat(delivered).hasSize(2);
    assertThat(failing.skipped()).isZero();
  }
}
