package io.plainroute.netlink;

/**
 * A change that the kernel announced to an {@link EventSubscription}, as {@code ip monitor}
 * shows them. {@code senderPort} is the netlink port id the kernel stamped on the notification
 * ({@code nlmsg_pid}): the port of the socket whose request made the change, 0 when the kernel
 * made it on its own. A handle tells its own changes apart by comparing it with
 * {@link NetlinkHandle#portId()}.
 */
public sealed interface NetlinkEvent {

  /** A link appeared or changed ({@code RTM_NEWLINK}), or was removed ({@code RTM_DELLINK}). */
  record LinkChanged(Link link, boolean deleted, int senderPort) implements NetlinkEvent {
    public LinkChanged(Link link, boolean deleted) {
      this(link, deleted, 0);
    }
  }

  /** An IPv4 address was added ({@code RTM_NEWADDR}) or removed ({@code RTM_DELADDR}). */
  record AddressChanged(Address address, boolean deleted, int senderPort) implements NetlinkEvent {
    public AddressChanged(Address address, boolean deleted) {
      this(address, deleted, 0);
    }
  }

  /** An IPv4 route, in any table, was added or replaced ({@code RTM_NEWROUTE}) or removed ({@code RTM_DELROUTE}). */
  record RouteChanged(Route route, boolean deleted, int senderPort) implements NetlinkEvent {
    public RouteChanged(Route route, boolean deleted) {
      this(route, deleted, 0);
    }
  }

  /**
   * The kernel dropped events because they came faster than they were read (ENOBUFS): the
   * state must be read again from a dump.
   */
  record EventsLost() implements NetlinkEvent {
  }
}
