package io.plainroute.netlink;

import static io.plainroute.netlink.KernelCaptures.ROUTE_EXISTS_ERROR;
import static io.plainroute.netlink.KernelCaptures.ROUTE_INVALID_PREFIX_ERROR_CAPPED;
import static io.plainroute.netlink.KernelCaptures.ROUTE_REPLACE_ACK;
import static io.plainroute.netlink.KernelCaptures.datagram;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.netlink.nl.MessageReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * A batch's failures map back to their requests by sequence number, from the kernel's own
 * replies renumbered: no success is acknowledged, only the closing request is.
 */
class BatchRepliesTest {
  private static final int PORT = 4242;
  /** Requests 100, 101, 102; the closing NLMSG_NOOP is 103. */
  private static final int FIRST = 100;
  private static final int COUNT = 3;

  @Test
  void eachFailureGoesToTheRequestWithItsSequenceNumber() {
    BatchReplies replies = new BatchReplies(FIRST, COUNT, PORT);

    accept(replies, reply(ROUTE_EXISTS_ERROR, 101, PORT));
    assertThat(replies.complete()).isFalse();
    accept(replies, reply(ROUTE_INVALID_PREFIX_ERROR_CAPPED, 102, PORT));
    accept(replies, reply(ROUTE_REPLACE_ACK, 103, PORT));

    assertThat(replies.complete()).isTrue();
    assertThat(replies.refusals()).containsExactly(
        new BatchReplies.Refusal(1, Errno.EEXIST.number(), null),
        new BatchReplies.Refusal(2, Errno.EINVAL.number(), "Invalid prefix for given prefix length"));
  }

  @Test
  void aBatchWithoutFailuresIsAnsweredByTheClosingAcknowledgementAlone() {
    BatchReplies replies = new BatchReplies(FIRST, COUNT, PORT);

    accept(replies, reply(ROUTE_REPLACE_ACK, 103, PORT));

    assertThat(replies.complete()).isTrue();
    assertThat(replies.refusals()).isEmpty();
  }

  @Test
  void repliesToOtherBatchesOrPortsAndRepeatsAreIgnored() {
    BatchReplies replies = new BatchReplies(FIRST, COUNT, PORT);

    accept(replies, reply(ROUTE_EXISTS_ERROR, 99, PORT));
    accept(replies, reply(ROUTE_EXISTS_ERROR, 104, PORT));
    accept(replies, reply(ROUTE_EXISTS_ERROR, 100, PORT + 1));
    accept(replies, reply(ROUTE_EXISTS_ERROR, 101, PORT));
    accept(replies, reply(ROUTE_INVALID_PREFIX_ERROR_CAPPED, 101, PORT));
    accept(replies, reply(ROUTE_REPLACE_ACK, 103, PORT + 1));

    assertThat(replies.complete()).isFalse();
    assertThat(replies.refusals()).containsExactly(new BatchReplies.Refusal(1, Errno.EEXIST.number(), null));
  }

  @Test
  void sequenceNumbersMayWrapAround() {
    BatchReplies replies = new BatchReplies(Integer.MAX_VALUE - 1, COUNT, PORT);

    accept(replies, reply(ROUTE_EXISTS_ERROR, Integer.MIN_VALUE, PORT));
    accept(replies, reply(ROUTE_REPLACE_ACK, Integer.MIN_VALUE + 1, PORT));

    assertThat(replies.complete()).isTrue();
    assertThat(replies.refusals()).containsExactly(new BatchReplies.Refusal(2, Errno.EEXIST.number(), null));
  }

  @Test
  void severalRepliesInOneDatagram() {
    BatchReplies replies = new BatchReplies(FIRST, COUNT, PORT);
    ByteBuffer datagram = ByteBuffer.allocate(1024).order(ByteOrder.nativeOrder());
    datagram.put(reply(ROUTE_EXISTS_ERROR, 100, PORT)).put(reply(ROUTE_EXISTS_ERROR, 102, PORT))
        .put(reply(ROUTE_REPLACE_ACK, 103, PORT));

    replies.accept(new MessageReader().reset(datagram.flip()));

    assertThat(replies.complete()).isTrue();
    assertThat(replies.refusals()).extracting(BatchReplies.Refusal::index).containsExactly(0, 2);
  }

  private static void accept(BatchReplies replies, ByteBuffer datagram) {
    replies.accept(new MessageReader().reset(datagram));
  }

  /** A captured NLMSG_ERROR renumbered: in its header and in the echoed request's. */
  private static ByteBuffer reply(byte[] captured, int seq, int port) {
    return datagram(captured).putInt(8, seq).putInt(12, port).putInt(16 + 4 + 8, seq);
  }
}
