package io.plainroute.netlink;

import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELROUTE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWROUTE;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import io.plainroute.netlink.nl.Rtnetlink;
import java.lang.System.Logger.Level;
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
  /** Datagrams taken per system call, and room for each: a link's notification is a few KiB. */
  private static final int DATAGRAM_SLOTS = 16;
  private static final int DATAGRAM_SLOT_BYTES = 32 * 1024;

  private final NetlinkSocket socket;
  private final Consumer<NetlinkEvent> listener;
  private final Consumer<EventSubscription> onClose;
  private final Thread reader;
  private final AtomicBoolean closed = new AtomicBoolean();
  /** Notifications come one to a datagram: several are read per system call. Reader thread only. */
  private final QueuedDatagrams datagrams = new QueuedDatagrams(DATAGRAM_SLOTS, DATAGRAM_SLOT_BYTES);
  private final MessageReader messages = new MessageReader();

  private EventSubscription(NetlinkSocket socket, Consumer<NetlinkEvent> listener, Consumer<EventSubscription> onClose,
      String name) {
    this.socket = socket;
    this.listener = listener;
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
      int received = socket.receive(datagrams, false);
      for (int i = 0; i < received; i++) {
        for (messages.reset(datagrams.get(i)); messages.next(); ) {
          NetlinkEvent event = decode(messages);
          if (event != null) {
            deliver(event);
          }
        }
      }
      if (datagrams.truncated()) {
        LOG.log(Level.WARNING, "netlink events skipped: a notification larger than " + DATAGRAM_SLOT_BYTES + " bytes");
        deliver(new NetlinkEvent.EventsLost());
      }
    } catch (NetlinkException | MalformedMessageException e) {
      if (!(e instanceof NetlinkException lost && lost.is(Errno.ENOBUFS))) {
        LOG.log(Level.WARNING, "netlink events skipped: {0}", e.getMessage());
      }
      deliver(new NetlinkEvent.EventsLost());
    }
  }

  private void deliver(NetlinkEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "netlink event listener failed on " + event, e);
    }
  }

  /** The event a message announces, or null for messages of other kinds. */
  private static NetlinkEvent decode(MessageReader message) {
    return switch (message.type()) {
      case RTM_NEWLINK, RTM_DELLINK ->
          new NetlinkEvent.LinkChanged(LinkMessages.parse(message), message.type() == RTM_DELLINK, message.portId());
      case RTM_NEWADDR, RTM_DELADDR -> new NetlinkEvent.AddressChanged(AddressMessages.parse(message),
          message.type() == RTM_DELADDR, message.portId());
      case RTM_NEWROUTE, RTM_DELROUTE -> new NetlinkEvent.RouteChanged(RouteMessages.parse(message),
          message.type() == RTM_DELROUTE, message.portId());
      default -> null;
    };
  }
}
