package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * Collects the acknowledgements of requests sent together, numbered {@code firstSeq},
 * {@code firstSeq + 1}, ..., and maps each error back to the request that caused it.
 */
final class BatchAcks {
  private final List<Request> requests;
  private final int firstSeq;
  private final int portId;
  private final NetlinkException[] errors;
  private final boolean[] answered;
  private int unanswered;

  BatchAcks(List<Request> requests, int firstSeq, int portId) {
    this.requests = requests;
    this.firstSeq = firstSeq;
    this.portId = portId;
    this.errors = new NetlinkException[requests.size()];
    this.answered = new boolean[requests.size()];
    this.unanswered = requests.size();
  }

  /** Takes one datagram from the kernel; messages that answer no request of this batch are skipped. */
  void accept(ByteBuffer datagram) throws NetlinkException {
    for (NetlinkMessage message : NetlinkMessage.parseAll(datagram)) {
      // Subtraction keeps working when sequence numbers wrap around.
      int index = message.header().seq() - firstSeq;
      if (message.type() != Netlink.NLMSG_ERROR || message.header().portId() != portId
          || index < 0 || index >= answered.length || answered[index]) {
        continue;
      }
      NlMsgErr error = NlMsgErr.parse(message);
      if (!error.isAck()) {
        errors[index] = error.toException(requests.get(index).description());
      }
      answered[index] = true;
      unanswered--;
    }
  }

  boolean complete() {
    return unanswered == 0;
  }

  boolean answered(int index) {
    return answered[index];
  }

  /** The kernel's refusal of the request at this index, if it refused it. */
  Optional<NetlinkException> error(int index) {
    return Optional.ofNullable(errors[index]);
  }
}
