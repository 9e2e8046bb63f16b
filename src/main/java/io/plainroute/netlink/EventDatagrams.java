package io.plainroute.netlink;

import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_DELROUTE;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWADDR;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWLINK;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWNETCONF;
import static io.plainroute.netlink.nl.Rtnetlink.RTM_NEWROUTE;

import io.plainroute.netlink.nl.MalformedMessageException;
import io.plainroute.netlink.nl.MessageReader;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Turns each datagram of notifications an {@link EventSubscription} receives into events for its
 * listener, in order. Nothing a datagram holds can end the subscription: a datagram that does not
 * decode is logged, counted and reported as {@link NetlinkEvent.EventsLost} (the listener reads
 * the state again), and a listener that throws is logged. Used by one thread.
 */
final class EventDatagrams {
  private static final System.Logger LOG = System.getLogger(EventSubscription.class.getName());

  private final Consumer<NetlinkEvent> listener;
  private final MessageReader messages = new MessageReader();
  private final AtomicLong skipped = new AtomicLong();

  EventDatagrams(Consumer<NetlinkEvent> listener) {
    this.listener = listener;
  }

  /** Delivers the events of one datagram. */
  void accept(ByteBuffer datagram) {
    try {
      for (messages.reset(datagram); messages.next(); ) {
        NetlinkEvent event = decode(messages);
        if (event != null) {
          deliver(event);
        }
      }
    } catch (MalformedMessageException e) {
      skip(e.getMessage());
    } catch (RuntimeException e) {
      // A decoding bug, not the kernel's: the same recovery, with the stack trace for the report.
      LOG.log(Level.ERROR, "netlink events could not be decoded", e);
      skip(e.toString());
    }
  }

  /** Events were dropped before they reached here (ENOBUFS, a failed receive). */
  void lost() {
    deliver(new NetlinkEvent.EventsLost());
  }

  /** How many datagrams did not decode. */
  long skipped() {
    return skipped.get();
  }

  private void skip(String why) {
    skipped.incrementAndGet();
    LOG.log(Level.WARNING, "netlink events skipped: {0}", why);
    lost();
  }

  private void deliver(NetlinkEvent event) {
    try {
      listener.accept(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "netlink event listener failed on " + event, e);
    }
  }

  /** The event a message announces, or null for messages of other kinds and families. */
  static NetlinkEvent decode(MessageReader message) {
    return switch (message.type()) {
      case RTM_NEWLINK, RTM_DELLINK ->
          new NetlinkEvent.LinkChanged(LinkMessages.parse(message), message.type() == RTM_DELLINK, message.portId());
      case RTM_NEWADDR, RTM_DELADDR -> {
        Address address = AddressMessages.parse(message);
        yield address == null ? null
            : new NetlinkEvent.AddressChanged(address, message.type() == RTM_DELADDR, message.portId());
      }
      case RTM_NEWROUTE, RTM_DELROUTE -> {
        Route route = RouteMessages.parse(message);
        yield route == null ? null
            : new NetlinkEvent.RouteChanged(route, message.type() == RTM_DELROUTE, message.portId());
      }
      case RTM_NEWNETCONF -> NetconfMessages.forwarding(message);
      default -> null;
    };
  }
}
