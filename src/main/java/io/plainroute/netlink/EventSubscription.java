package io.plainroute.netlink;

import io.plainroute.netlink.nl.Rtnetlink;
import io.plainroute.netns.NetworkNamespace;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Link, address and route changes (IPv4 and IPv6) and forwarding changes of one network
 * namespace, read on a socket and a platform thread of their own and handed to a listener in the
 * order the kernel sent them. Equivalent to: {@code ip monitor link address route netconf}.
 */
public final class EventSubscription implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());
  /** Bulk route changes send thousands of events at once; the listener must not lose them. */
  private static final int SOCKET_RECEIVE_BUFFER_BYTES = 8 * 1024 * 1024;
  /** How long {@link #close()} may wait for the reader to notice. */
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  /** Datagrams taken per system call, and room for each: a link's notification is a few KiB. */
  private static final int DATAGRAM_SLOTS = 16;
  private static final int DATAGRAM_SLOT_BYTES = 32 * 1024;

  private final NetlinkSocket socket;
  private final Consumer<EventSubscription> onClose;
  private final Thread reader;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Notifications come one to a datagram: several are read per system call. Reader thread only. */
  private final QueuedDatagrams received = new QueuedDatagrams(DATAGRAM_SLOTS, DATAGRAM_SLOT_BYTES);
  /** Turns each datagram into events; nothing a datagram holds ends the subscription. */
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
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV4_NETCONF);
      // rtnetlink has every group whether or not the kernel has IPv6: joining never fails for it.
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV6_IFADDR);
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV6_ROUTE);
      socket.joinGroup(Rtnetlink.RTNLGRP_IPV6_NETCONF);
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
      int count = socket.receive(received, false);
      for (int i = 0; i < count; i++) {
        datagrams.accept(received.get(i));
      }
      if (received.truncated()) {
        LOG.log(Level.WARNING, "netlink events skipped: a notification larger than " + DATAGRAM_SLOT_BYTES + " bytes");
        datagrams.lost();
      }
    } catch (NetlinkException e) {
      if (!e.is(Errno.ENOBUFS)) {
        LOG.log(Level.WARNING, "netlink events skipped: {0}", e.getMessage());
      }
      datagrams.lost();
    }
  }
}
