package io.plainroute.netlink;

import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.Netlink;
import java.util.ArrayList;
import java.util.List;

/**
 * The replies to one datagram of requests numbered {@code firstSeq}, {@code firstSeq + 1}, ...,
 * sent without {@code NLM_F_ACK} and closed by one more request that asks for it (an
 * {@code NLMSG_NOOP}). The kernel answers only the requests that fail, each with an
 * {@code NLMSG_ERROR} carrying its sequence number, and handles a datagram's messages in order:
 * once the closing acknowledgement is here, every failure of the batch is. Each failure is mapped
 * back to its request's index by sequence number.
 */
final class BatchReplies {

  /**
   * A request that the kernel refused.
   *
   * @param index the request's index in the batch
   * @param errno the positive errno
   * @param extendedAck the kernel's message, or null
   */
  record Refusal(int index, int errno, String extendedAck) {
  }

  private final int firstSeq;
  private final int count;
  private final int portId;
  private final List<Refusal> refusals = new ArrayList<>(0);
  private int lastRefused = -1;
  private boolean complete;

  /**
   * @param firstSeq sequence number of the batch's first request
   * @param count requests in the batch; the closing request is numbered {@code firstSeq + count}
   * @param portId the socket's port id, which the kernel's replies carry
   */
  BatchReplies(int firstSeq, int count, int portId) {
    this.firstSeq = firstSeq;
    this.count = count;
    this.portId = portId;
  }

  /** Takes the messages of one datagram; those that answer nothing of this batch are skipped. */
  void accept(MessageReader messages) {
    while (messages.next()) {
      if (messages.type() != Netlink.NLMSG_ERROR || messages.portId() != portId) {
        continue;
      }
      // Subtraction keeps working when sequence numbers wrap around.
      int index = messages.seq() - firstSeq;
      if (index == count) {
        complete = true;
      } else if (index >= 0 && index < count && index > lastRefused && messages.error() != 0) {
        refusals.add(new Refusal(index, -messages.error(), messages.extendedAck()));
        lastRefused = index;
      }
    }
  }

  /** Whether the closing acknowledgement came: no more replies to this batch will. */
  boolean complete() {
    return complete;
  }

  /** The requests that the kernel refused, in the order sent. */
  List<Refusal> refusals() {
    return refusals;
  }
}
