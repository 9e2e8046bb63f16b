package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows the replies to one request, datagram by datagram: the data messages of a (multipart)
 * reply, until the acknowledgement or, for a dump, {@code NLMSG_DONE}. Messages with another
 * sequence number or port id are skipped: they answer a request that was abandoned.
 *
 * @param <T> what each data message decodes to
 */
final class Exchange<T> {

  /** Decodes one data message of a reply. */
  @FunctionalInterface
  interface Decoder<T> {
    T decode(NetlinkMessage message) throws NetlinkException;
  }

  private final Request request;
  private final int seq;
  private final int portId;
  private final Decoder<T> decoder;
  private final List<T> results = new ArrayList<>();
  private boolean complete;
  private boolean interrupted;

  Exchange(Request request, int seq, int portId, Decoder<T> decoder) {
    this.request = request;
    this.seq = seq;
    this.portId = portId;
    this.decoder = decoder;
  }

  /**
   * Takes one datagram from the kernel.
   *
   * @return whether the reply is now complete
   * @throws NetlinkException the kernel's refusal of the request, or a malformed reply
   */
  boolean accept(ByteBuffer datagram) throws NetlinkException {
    for (NetlinkMessage message : NetlinkMessage.parseAll(datagram)) {
      if (complete || message.header().seq() != seq || message.header().portId() != portId) {
        continue;
      }
      interrupted |= message.hasFlag(Netlink.NLM_F_DUMP_INTR);
      switch (message.type()) {
        case Netlink.NLMSG_ERROR -> acceptError(NlMsgErr.parse(message));
        case Netlink.NLMSG_DONE -> acceptDone(message.payload());
        case Netlink.NLMSG_NOOP -> { }
        default -> results.add(decoder.decode(message));
      }
    }
    return complete;
  }

  /** The decoded data messages, in the kernel's order. */
  List<T> results() {
    return results;
  }

  /**
   * Whether the kernel flagged the dump as inconsistent ({@code NLM_F_DUMP_INTR}): the objects
   * changed while it was being dumped, so it must be taken again.
   */
  boolean interrupted() {
    return interrupted;
  }

  private void acceptError(NlMsgErr error) throws NetlinkException {
    if (!error.isAck()) {
      throw error.toException(request.description());
    }
    complete = true;
  }

  private void acceptDone(ByteBuffer payload) throws NetlinkException {
    // A dump that fails part-way reports its error as the negative int payload of NLMSG_DONE.
    int error = payload.remaining() >= 4 ? payload.getInt() : 0;
    if (error < 0) {
      throw new NetlinkException(-error, request.description(), null);
    }
    complete = true;
  }
}
