package io.plainroute.netlink;

import io.plainroute.netlink.nl.Rtnetlink;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import io.plainroute.netns.NetworkNamespace;

/**
 * Link, IPv4 address and IPv4 route changes of one network namespace, read on a socket and a
 * platform thread of their own and handed to a listener in the order the kernel sent them.
 * Equivalent to: {@code ip monitor link address route} (IPv4 only).
 */
public final class EventSubscription implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());
  /** Bulk route changes send thousands of events at once; the listener must not lose them. */
  private static final int SOCKET_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
  /** How long {@link #close()} may wait for the reader to notice. */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

  private final NetlinkSocket socket;
  private final Consumer<EventSubscription> onClose;
  private final Thread reader;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Used by the reader thread only. */
  private final EventDatagrams datagrams;

  private EventSubscription(NetlinkSocket socket, Consumer<NetlinkEvent> listener, Consumer<EventSubscription> onClose,
      String name) {
    this.socket = socket;
    this.datagrams = new EventDatagrams(listener);
    this.onClose = onClose;
    this.reader = new Thread(this::read, name);
    reader.setDaemon(true);
  }

  /**
   * Subscribes in the calling thread's network namespace, where the socket is opened.
   *
   * @param onClose told once the subscription is closed
   */
  static EventSubscription open(NetworkNamespace namespace, Consumer<NetlinkEvent> listener,
      Consumer<EventSubscription> onClose)
      throws NetlinkException {
    NetlinkSocket socket = NetlinkSocket.open();
    try {
      socket.raiseReceiveBuffer(SOCKET_RECEIVE_BUFFER_BYTES);
      socket.setReceiveTimeout(POLL_INTERVAL);
      socket.joinGroup(Rtnetlink.RTNLGRP_LINK);
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV4_IFADDR);
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV4_ROUTE);
    } catch (NetlinkException e) {
      socket.close();
      throw e;
    }
    EventSubscription subscription = new EventSubscription(socket, listener, onClose, "netlink events " + namespace);
    subscription.reader.start();
    return subscription;
  }

  /** Stops delivering events; waits for the listener to return unless called from it. */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    if (Thread.currentThread() != reader) {
      try {
        reader.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClose.accept(this);
  }

  private void read() {
    try {
      while (!closed.get()) {
        readOnce();
      }
    } finally {
      socket.close();
    }
  }

  private void readOnce() {
    try {
      ByteBuffer datagram = socket.receive(false);
      if (datagram != null) {
        datagrams.accept(datagram);
      }
    } catch (NetlinkException e) {
      if (!e.is(Errno.ENOBUFS)) {
        LOG.log(Level.WARNING, "netlink events skipped: {0}", e.getMessage());
      }
      datagrams.lost();
    }
  }

  /** How many datagrams from the kernel did not decode (each logged and reported as lost events). */
  public long skippedDatagrams() {
    return datagrams.skipped();
  }
}
