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

  /** An address of either family was added ({@code RTM_NEWADDR}) or removed ({@code RTM_DELADDR}). */
  record AddressChanged(Address address, boolean deleted, int senderPort) implements NetlinkEvent {
    public AddressChanged(Address address, boolean deleted) {
      this(address, deleted, 0);
    }
  }

  /** A route of either family, in any table, was added or replaced ({@code RTM_NEWROUTE}) or removed ({@code RTM_DELROUTE}). */
  record RouteChanged(Route route, boolean deleted, int senderPort) implements NetlinkEvent {
    public RouteChanged(Route route, boolean deleted) {
      this(route, deleted, 0);
    }
  }

  /**
   * A forwarding switch was set ({@code RTM_NEWNETCONF} with {@code NETCONFA_FORWARDING}), as in
   * {@code sysctl -w net.ipv4.ip_forward=0} or {@code net.ipv6.conf.eth0.forwarding=1}. The kernel
   * announces only changes of value, never a write of the value already set.
   *
   * @param family whose switch
   * @param linkIndex the link whose own switch it is, or {@link #ALL} ({@code ip_forward},
   *     {@code conf.all}) or {@link #DEFAULT} ({@code conf.default}, which new links copy)
   * @param on the switch's new value
   */
  record ForwardingChanged(IpFamily family, int linkIndex, boolean on) implements NetlinkEvent {
    /** {@code NETCONFA_IFINDEX_ALL}: the family's global switch. */
    public static final int ALL = io.plainroute.netlink.nl.Rtnetlink.NETCONFA_IFINDEX_ALL;
    /** {@code NETCONFA_IFINDEX_DEFAULT}: the family's switch for links yet to come. */
    public static final int DEFAULT = io.plainroute.netlink.nl.Rtnetlink.NETCONFA_IFINDEX_DEFAULT;
  }

  /**
   * The kernel dropped events because they came faster than they were read (ENOBUFS): the
   * state must be read again from a dump.
   */
  record EventsLost() implements NetlinkEvent {
  }
}
