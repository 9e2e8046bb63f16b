package io.plainroute.netlink.nl;

/**
 * Constants of routing netlink messages, spelled as in {@code linux/rtnetlink.h}; the two
 * address families used in their headers come from {@code linux/socket.h}.
 */
public final class Rtnetlink {
  public static final int AF_UNSPEC = 0;
  public static final int AF_INET = 2;
  public static final int AF_INET6 = 10;

  public static final int RTM_NEWLINK = 16;
  public static final int RTM_DELLINK = 17;
  public static final int RTM_GETLINK = 18;
  public static final int RTM_NEWADDR = 20;
  public static final int RTM_DELADDR = 21;
  public static final int RTM_GETADDR = 22;
  public static final int RTM_NEWROUTE = 24;
  public static final int RTM_DELROUTE = 25;
  public static final int RTM_GETROUTE = 26;
  public static final int RTM_NEWNETCONF = 80;
  public static final int RTM_DELNETCONF = 81;

  /** Per-device configuration attributes ({@code linux/netconf.h}); {@code struct netconfmsg} is one byte, aligned to 4. */
  public static final int NETCONFMSG_SIZE = 4;
  public static final int NETCONFA_IFINDEX = 1;
  public static final int NETCONFA_FORWARDING = 2;
  /** {@code NETCONFA_IFINDEX} of the {@code all} settings ({@code net.ipv4.ip_forward}, {@code net.ipv6.conf.all}). */
  public static final int NETCONFA_IFINDEX_ALL = -1;
  /** {@code NETCONFA_IFINDEX} of the {@code default} settings, which new devices copy. */
  public static final int NETCONFA_IFINDEX_DEFAULT = -2;

  /** Route attributes ({@code enum rtattr_type_t}). */
  public static final int RTA_DST = 1;
  public static final int RTA_OIF = 4;
  public static final int RTA_GATEWAY = 5;
  public static final int RTA_TABLE = 15;

  /** Route types. */
  public static final int RTN_UNSPEC = 0;
  public static final int RTN_UNICAST = 1;
  public static final int RTN_LOCAL = 2;
  public static final int RTN_BROADCAST = 3;
  public static final int RTN_BLACKHOLE = 6;
  public static final int RTN_UNREACHABLE = 7;
  public static final int RTN_PROHIBIT = 8;

  /** Route origins; values above {@link #RTPROT_STATIC} are free for routing daemons. */
  public static final int RTPROT_UNSPEC = 0;
  public static final int RTPROT_KERNEL = 2;
  public static final int RTPROT_BOOT = 3;
  public static final int RTPROT_STATIC = 4;

  public static final int RT_SCOPE_UNIVERSE = 0;
  public static final int RT_SCOPE_SITE = 200;
  public static final int RT_SCOPE_LINK = 253;
  public static final int RT_SCOPE_HOST = 254;
  public static final int RT_SCOPE_NOWHERE = 255;

  public static final int RT_TABLE_UNSPEC = 0;
  public static final int RT_TABLE_MAIN = 254;
  public static final int RT_TABLE_LOCAL = 255;

  /** Multicast groups ({@code enum rtnetlink_groups}). */
  public static final int RTNLGRP_LINK = 1;
  public static final int RTNLGRP_IPV4_IFADDR = 5;
  public static final int RTNLGRP_IPV4_ROUTE = 7;
  public static final int RTNLGRP_IPV6_IFADDR = 9;
  public static final int RTNLGRP_IPV6_ROUTE = 11;
  public static final int RTNLGRP_IPV4_NETCONF = 24;
  public static final int RTNLGRP_IPV6_NETCONF = 25;

  private Rtnetlink() {
  }
}
