package io.plainroute.netlink;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.MessageWriter;
import io.plainroute.netlink.nl.Netlink;
import java.io.Closeable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Requests and their replies over one netlink socket: numbers each request, reads the replies
 * that belong to it, and sends batches. Not thread-safe: a handle uses it from its namespace
 * thread only.
 */
final class NetlinkConnection implements Closeable {
  /**
   * Requests sent at once: about 1,300 routes. More in one {@code send} fails with EMSGSIZE
   * past the socket's send buffer, and gains nothing: the kernel's work per route dominates.
   */
  private static final int DATAGRAM_BYTES = 64 * 1024;
  /** Socket memory that one queued error takes: measured ~830 bytes, rounded up. */
  private static final int ERROR_MEMORY_BYTES = 1024;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
  private static final int DUMP_ATTEMPTS = 3;
  private static final String BATCH = "replies to a batch of route changes";
  /**
   * Datagrams read per system call, and room for each: the kernel writes a dump into datagrams of
   * at most 32 KiB (less their bookkeeping), producing the next as the previous is read, so one
   * {@code recvmmsg} takes several; errors and acknowledgements take a few hundred bytes.
   */
  private static final int REPLY_SLOTS = 8;
  private static final int REPLY_SLOT_BYTES = 32 * 1024;

  /**
   * How much room for errors a connection asks for, and how many requests it may send in one
   * datagram.
   *
   * @param receiveBufferBytes socket receive buffer asked for; the kernel doubles it
   * @param batchLimit most requests per datagram; by default as many as the receive buffer
   *     holds errors for, so that even a batch that fails whole loses none
   */
  record Tuning(int receiveBufferBytes, OptionalInt batchLimit) {
    /** Queues errors for thousands of requests; past rmem_max with CAP_NET_ADMIN. */
    static final Tuning DEFAULT = new Tuning(8 * 1024 * 1024, OptionalInt.empty());
  }

  /**
   * What the kernel answered to a batch, by the index of each request.
   *
   * @param failures the requests that the kernel refused, with its error
   * @param unanswered the requests whose outcome is unknown: replies were lost (ENOBUFS)
   */
  record BatchOutcome(Map<Integer, NetlinkException> failures, List<Integer> unanswered) {
  }

  private final NetlinkSocket socket;
  private final Native.Memory datagram = Native.Memory.allocate(DATAGRAM_BYTES);
  private final MessageWriter writer = new MessageWriter(datagram.buffer());
  private final MessageReader reader = new MessageReader();
  private final QueuedDatagrams replies = new QueuedDatagrams(REPLY_SLOTS, REPLY_SLOT_BYTES);
  private int batchLimit;
  private int nextSeq = 1;

  private NetlinkConnection(NetlinkSocket socket, int batchLimit) {
    this.socket = socket;
    this.batchLimit = batchLimit;
  }

  /** Opens a connection in the calling thread's network namespace. */
  static NetlinkConnection open(Tuning tuning) throws NetlinkException {
    NetlinkSocket socket = NetlinkSocket.open();
    try {
      socket.setOption(Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, 1);
      // Errors then echo only the request's header, not the whole request.
      socket.setOption(Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, 1);
      socket.setReceiveTimeout(REPLY_TIMEOUT);
      int receiveBuffer = socket.raiseReceiveBuffer(tuning.receiveBufferBytes());
      return new NetlinkConnection(socket,
          tuning.batchLimit().orElse(Math.max(1, receiveBuffer / ERROR_MEMORY_BYTES)));
    } catch (NetlinkException e) {
      socket.close();
      throw e;
    }
  }

  /** The port id of the socket: the kernel stamps it on notifications of this connection's changes. */
  int portId() {
    return socket.portId();
  }

  /** Sends a request and waits for its acknowledgement. */
  void execute(Request request) throws NetlinkException {
    exchange(request, message -> null);
  }

  /** Sends a request and returns the data messages that the kernel answered before its acknowledgement. */
  <T> List<T> query(Request request, Exchange.Decoder<T> decoder) throws NetlinkException {
    return exchange(request, decoder).results();
  }

  /**
   * Takes a dump, again when the kernel reports that it changed while being dumped.
   *
   * @param decoder returns null for the messages to leave out
   */
  <T> List<T> dump(Request request, Exchange.Decoder<T> decoder) throws NetlinkException {
    for (int attempt = 1; ; attempt++) {
      Exchange<T> exchange = exchange(request, decoder);
      if (!exchange.interrupted()) {
        return exchange.results();
      }
      if (attempt == DUMP_ATTEMPTS) {
        throw new NetlinkException(Errno.EINTR,
            request.description() + " interrupted by concurrent changes " + attempt + " times");
      }
    }
  }

  /**
   * Sends route changes packed many to a datagram, none asking for an acknowledgement, each
   * datagram closed by an {@code NLMSG_NOOP} that does; reads the replies after each datagram:
   * only the failures, and the closing acknowledgement. When the kernel drops replies
   * nonetheless (ENOBUFS), the changes of that datagram that were not reported failed are
   * reported unanswered, and later datagrams are made smaller.
   */
  BatchOutcome applyRoutes(List<RouteChange> changes) throws NetlinkException {
    Map<Integer, NetlinkException> failures = new TreeMap<>();
    List<Integer> unanswered = new ArrayList<>(0);
    int start = 0;
    while (start < changes.size()) {
      int firstSeq = nextSeq;
      int end = writeDatagram(changes, start);
      int closingSeq = nextSeq++;
      writer.empty(Netlink.NLMSG_NOOP, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, closingSeq);
      socket.send(datagram, writer.size());
      BatchReplies batchReplies = new BatchReplies(firstSeq, end - start, socket.portId());
      boolean complete = readReplies(batchReplies, end - start);
      boolean[] refused = complete ? null : new boolean[end - start];
      for (BatchReplies.Refusal refusal : batchReplies.refusals()) {
        int index = start + refusal.index();
        failures.put(index, new NetlinkException(refusal.errno(), RouteMessages.describe(changes.get(index)),
            refusal.extendedAck()));
        if (refused != null) {
          refused[refusal.index()] = true;
        }
      }
      for (int i = 0; refused != null && i < refused.length; i++) {
        if (!refused[i]) {
          unanswered.add(start + i);
        }
      }
      start = end;
    }
    return new BatchOutcome(failures, unanswered);
  }

  @Override
  public void close() {
    socket.close();
  }

  private <T> Exchange<T> exchange(Request request, Exchange.Decoder<T> decoder) throws NetlinkException {
    int seq = nextSeq++;
    writer.clear();
    request.writeTo(writer, seq);
    socket.send(datagram, writer.size());
    Exchange<T> exchange = new Exchange<>(request, seq, socket.portId(), decoder);
    try {
      boolean complete = false;
      while (!complete) {
        int received = socket.receive(replies, false);
        if (replies.truncated()) {
          throw new NetlinkException(Errno.EMSGSIZE, request.description() + ": a reply larger than "
              + REPLY_SLOT_BYTES + " bytes");
        }
        if (received == 0) {
          throw timeout(request.description());
        }
        for (int i = 0; i < received; i++) {
          complete |= exchange.accept(reader.reset(replies.get(i)));
        }
      }
    } catch (MalformedMessageException e) {
      throw new NetlinkException(Errno.EPROTO, request.description() + ": " + e.getMessage());
    }
    return exchange;
  }

  /** Writes changes from start on into the datagram, room left for the closing request; returns the index after the last. */
  private int writeDatagram(List<RouteChange> changes, int start) {
    writer.clear();
    int end = start;
    while (end < changes.size() && end - start < batchLimit
        && writer.remaining() >= RouteMessages.MAX_BYTES + Netlink.NLMSG_HDRLEN) {
      RouteMessages.write(writer, changes.get(end++), nextSeq++, 0);
    }
    return end;
  }

  /**
   * Reads the replies to a batch until its closing acknowledgement.
   *
   * @return false when replies were lost (ENOBUFS, or one too large for its slot)
   */
  private boolean readReplies(BatchReplies batch, int sent) throws NetlinkException {
    try {
      while (!batch.complete()) {
        int received = socket.receive(replies, false);
        if (received == 0 && !replies.truncated()) {
          throw timeout(BATCH);
        }
        acceptAll(batch, received);
        if (replies.truncated()) {
          drainInto(batch);
          return false;
        }
      }
      return true;
    } catch (NetlinkException e) {
      if (!e.is(Errno.ENOBUFS)) {
        throw e;
      }
      drainInto(batch);
      batchLimit = Math.max(1, Math.min(batchLimit, sent) / 2);
      return false;
    } catch (MalformedMessageException e) {
      throw new NetlinkException(Errno.EPROTO, BATCH + ": " + e.getMessage());
    }
  }

  /**
   * Reads what the kernel did queue: it reports an overflow first, then hands out the rest. The
   * kernel handles a whole datagram within {@code send}, so all there will be is queued by now.
   */
  private void drainInto(BatchReplies batch) throws NetlinkException {
    int received;
    while (!batch.complete() && (received = socket.receive(replies, true)) > 0) {
      acceptAll(batch, received);
    }
  }

  private void acceptAll(BatchReplies batch, int received) {
    for (int i = 0; i < received; i++) {
      batch.accept(reader.reset(replies.get(i)));
    }
  }

  private static NetlinkException timeout(String operation) {
    return new NetlinkException(Errno.ETIMEDOUT,
        operation + ": no reply from the kernel within " + REPLY_TIMEOUT.toSeconds() + " s");
  }
}
