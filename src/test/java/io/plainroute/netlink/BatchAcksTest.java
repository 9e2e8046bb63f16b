package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ROUTE_REPLACE_ACK;
import static io.plainroute.netlink.KernelCaptures.datagram;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Acknowledgements of a batch map back to the request they answer. */
class BatchAcksTest {
  private static final int PORT = 4242;
  private static final List<Request> REQUESTS = List.of(
      route("10.1.0.0/24"), route("10.2.0.0/24"), route("10.3.0.0/24"));

  @Test
  void eachErrorGoesToTheRequestWithItsSequenceNumber() throws NetlinkException {
    BatchAcks acks = new BatchAcks(REQUESTS, 100, PORT);

    acks.accept(ack(100, 0));
    acks.accept(ack(101, -Errno.EEXIST.number()));

    assertThat(acks.complete()).isFalse();
    assertThat(acks.error(0)).isEmpty();
    assertThat(acks.error(1)).hasValueSatisfying(e -> {
      assertThat(e.is(Errno.EEXIST)).isTrue();
      assertThat(e.getMessage()).startsWith(REQUESTS.get(1).description());
    });
    assertThat(acks.answered(2)).isFalse();

    acks.accept(ack(102, 0));
    assertThat(acks.complete()).isTrue();
  }

  @Test
  void acksOfOtherBatchesPortsOrRepeatedAreIgnored() throws NetlinkException {
    BatchAcks acks = new BatchAcks(REQUESTS, 100, PORT);

    acks.accept(ack(99, 0));
    acks.accept(ack(103, 0));
    acks.accept(withPort(ack(100, 0), PORT + 1));
    acks.accept(ack(101, 0));
    acks.accept(ack(101, -Errno.EINVAL.number()));

    assertThat(acks.answered(0)).isFalse();
    assertThat(acks.answered(1)).isTrue();
    assertThat(acks.error(1)).isEmpty();
    assertThat(acks.answered(2)).isFalse();
  }

  @Test
  void sequenceNumbersMayWrapAround() throws NetlinkException {
    BatchAcks acks = new BatchAcks(REQUESTS, Integer.MAX_VALUE, PORT);

    acks.accept(ack(Integer.MAX_VALUE, 0));
    acks.accept(ack(Integer.MIN_VALUE, 0));
    acks.accept(ack(Integer.MIN_VALUE + 1, -Errno.ESRCH.number()));

    assertThat(acks.complete()).isTrue();
    assertThat(acks.error(2)).hasValueSatisfying(e -> assertThat(e.is(Errno.ESRCH)).isTrue());
  }

  @Test
  void severalAcksInOneDatagram() throws NetlinkException {
    BatchAcks acks = new BatchAcks(REQUESTS, 100, PORT);
    ByteBuffer datagram = ByteBuffer.allocate(3 * ROUTE_REPLACE_ACK.length);
    for (int seq = 100; seq < 103; seq++) {
      datagram.put(ack(seq, 0));
    }

    acks.accept(datagram.flip());

    assertThat(acks.complete()).isTrue();
  }

  /** The kernel's capped acknowledgement, renumbered. */
  private static ByteBuffer ack(int seq, int error) {
    return withPort(datagram(ROUTE_REPLACE_ACK).putInt(8, seq).putInt(NlMsgHdr.SIZE, error), PORT);
  }

  private static ByteBuffer withPort(ByteBuffer message, int port) {
    return message.putInt(12, port);
  }

  private static Request route(String destination) {
    return RouteMessages.change(RouteChange.add(Route.onLink(Ipv4Prefix.parse(destination), 2, 200)));
  }
}
