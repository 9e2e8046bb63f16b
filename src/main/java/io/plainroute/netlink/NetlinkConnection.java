package io.plainroute.netlink;

import java.io.Closeable;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Requests and their replies over one netlink socket: numbers each request, reads the replies
 * that belong to it, and sends batches. Not thread-safe: a handle uses it from its namespace
 * thread only.
 */
final class NetlinkConnection implements Closeable {
  /** Requests sent at once: about 1,200 routes. */
  private static final int DATAGRAM_BYTES = 64 * 1024;
  /** Socket memory that one queued acknowledgement takes: measured ~830 bytes, rounded up. */
  private static final int ACK_MEMORY_BYTES = 1024;
  /** More than any request built here takes: a datagram is sent when less than this is left. */
  private static final int MAX_REQUEST_BYTES = 256;
  private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(10);
  private static final int DUMP_ATTEMPTS = 3;

  /**
   * How much acknowledgement space a connection asks for, and how many requests it may send in
   * one datagram.
   *
   * @param receiveBufferBytes socket receive buffer asked for; the kernel doubles it
   * @param batchLimit most requests per datagram; by default as many as the receive buffer
   *     holds acknowledgements for
   */
  record Tuning(int receiveBufferBytes, OptionalInt batchLimit) {
    /** Queues acknowledgements for thousands of requests; past rmem_max with CAP_NET_ADMIN. */
    static final Tuning DEFAULT = new Tuning(8 * 1024 * 1024, OptionalInt.empty());
  }

  /**
   * What the kernel answered to a batch, by the index of each request.
   *
   * @param failures the requests that the kernel refused, with its error
   * @param unanswered the requests whose acknowledgement was lost (ENOBUFS)
   */
  record BatchOutcome(Map<Integer, NetlinkException> failures, List<Integer> unanswered) {
  }

  private final NetlinkSocket socket;
  private final Native.Memory datagram = Native.Memory.allocate(DATAGRAM_BYTES);
  private final MessageWriter writer = new MessageWriter(datagram.buffer());
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
          tuning.batchLimit().orElse(Math.max(1, receiveBuffer / ACK_MEMORY_BYTES)));
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
    exchange(request, NetlinkMessage::type);
  }

  /** Sends a request and returns the data messages that the kernel answered before its acknowledgement. */
  <T> List<T> query(Request request, Exchange.Decoder<T> decoder) throws NetlinkException {
    return exchange(request, decoder).results();
  }

  /** Takes a dump, again when the kernel reports that it changed while being dumped. */
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
   * Sends requests many to a datagram and reads their acknowledgements after each datagram,
   * never sending more at once than the receive buffer can hold acknowledgements for. When the
   * kernel drops acknowledgements nonetheless (ENOBUFS), the requests it did not answer are
   * reported as unanswered and later datagrams are made smaller.
   */
  BatchOutcome executeAll(List<Request> requests) throws NetlinkException {
    Map<Integer, NetlinkException> failures = new TreeMap<>();
    List<Integer> unanswered = new ArrayList<>();
    int start = 0;
    while (start < requests.size()) {
      int firstSeq = nextSeq;
      int end = writeDatagram(requests, start);
      socket.send(datagram, writer.size());
      BatchAcks acks = new BatchAcks(requests.subList(start, end), firstSeq, socket.portId());
      readAcks(acks, end - start);
      for (int i = 0; i < end - start; i++) {
        int index = start + i;
        acks.error(i).ifPresent(error -> failures.put(index, error));
        if (!acks.answered(i)) {
          unanswered.add(index);
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
    writer.write(request, seq);
    socket.send(datagram, writer.size());
    Exchange<T> exchange = new Exchange<>(request, seq, socket.portId(), decoder);
    ByteBuffer reply;
    do {
      reply = receive(request.description());
    } while (!exchange.accept(reply));
    return exchange;
  }

  /** Writes requests from start on into one datagram; returns the index after the last one written. */
  private int writeDatagram(List<Request> requests, int start) {
    writer.clear();
    int end = start;
    while (end < requests.size() && end - start < batchLimit && writer.remaining() >= MAX_REQUEST_BYTES) {
      writer.write(requests.get(end++), nextSeq++);
    }
    return end;
  }

  private void readAcks(BatchAcks acks, int sent) throws NetlinkException {
    try {
      while (!acks.complete()) {
        acks.accept(receive("acknowledgements of a batch of " + sent));
      }
    } catch (NetlinkException e) {
      if (!e.is(Errno.ENOBUFS)) {
        throw e;
      }
      drainInto(acks);
      batchLimit = Math.max(1, Math.min(batchLimit, sent) / 2);
    }
  }

  /** Reads what the kernel did queue: it reports an overflow first, then hands out the rest. */
  private void drainInto(BatchAcks acks) throws NetlinkException {
    while (!acks.complete()) {
      Optional<ByteBuffer> queued = socket.receive(true);
      if (queued.isEmpty()) {
        return;
      }
      acks.accept(queued.get());
    }
  }

  private ByteBuffer receive(String operation) throws NetlinkException {
    return socket.receive(false).orElseThrow(() -> new NetlinkException(Errno.ETIMEDOUT,
        operation + ": no reply from the kernel within " + REPLY_TIMEOUT.toSeconds() + " s"));
  }
}
