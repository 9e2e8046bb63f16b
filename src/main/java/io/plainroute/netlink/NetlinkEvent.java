package io.plainroute.netlink;

/**
 * A change that the kernel announced to an {@link EventSubscription}, as {@code ip monitor}
 * shows them.
 */
public sealed interface NetlinkEvent {

  /** A link appeared or changed ({@code RTM_NEWLINK}), or was removed ({@code RTM_DELLINK}). */
  record LinkChanged(Link link, boolean deleted) implements NetlinkEvent {
  }

  /** An IPv4 address was added ({@code RTM_NEWADDR}) or removed ({@code RTM_DELADDR}). */
  record AddressChanged(Address address, boolean deleted) implements NetlinkEvent {
  }

  /** An IPv4 route, in any table, was added or replaced ({@code RTM_NEWROUTE}) or removed ({@code RTM_DELROUTE}). */
  record RouteChanged(Route route, boolean deleted) implements NetlinkEvent {
  }

  /**
   * The kernel dropped events because they came faster than they were read (ENOBUFS): the
   * state must be read again from a dump.
   */
  record EventsLost() implements NetlinkEvent {
  }
}
