package io.plainroute.netlink;

import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.Netlink;
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

  /** Decodes one data message of a reply, in place. */
  @FunctionalInterface
  interface Decoder<T> {
    /** @return the value, or null to leave the message out of the results */
    T decode(MessageReader message);
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
   * Takes the messages of one datagram from the kernel.
   *
   * @return whether the reply is now complete
   * @throws NetlinkException the kernel's refusal of the request
   * @throws io.plainroute.netlink.nl.MalformedMessageException a malformed reply
   */
  boolean accept(MessageReader messages) throws NetlinkException {
    while (messages.next()) {
      if (complete || messages.seq() != seq || messages.portId() != portId) {
        continue;
      }
      interrupted |= messages.hasFlag(Netlink.NLM_F_DUMP_INTR);
      switch (messages.type()) {
        case Netlink.NLMSG_ERROR -> acceptError(messages);
        case Netlink.NLMSG_DONE -> acceptDone(messages.doneError());
        case Netlink.NLMSG_NOOP -> { }
        default -> {
          T result = decoder.decode(messages);
          if (result != null) {
            results.add(result);
          }
        }
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

  private void acceptError(MessageReader error) throws NetlinkException {
    if (error.error() != 0) {
      throw new NetlinkException(-error.error(), request.description(), error.extendedAck());
    }
    complete = true;
  }

  private void acceptDone(int error) throws NetlinkException {
    // A dump that fails part-way reports its error as the negative int payload of NLMSG_DONE.
    if (error < 0) {
      throw new NetlinkException(-error, request.description(), null);
    }
    complete = true;
  }
}
