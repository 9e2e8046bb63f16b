package io.plainroute.netlink.nl;

/**
 * Constants of the netlink protocol itself, spelled as in {@code linux/netlink.h}.
 */
public final class Netlink {
  /** Routing and link configuration: the rtnetlink family. */
  public static final int NETLINK_ROUTE = 0;

  public static final int NLMSG_ALIGNTO = 4;
  /** Size of {@code struct nlmsghdr}. */
  public static final int NLMSG_HDRLEN = 16;

  public static final int NLMSG_NOOP = 0x1;
  public static final int NLMSG_ERROR = 0x2;
  public static final int NLMSG_DONE = 0x3;

  public static final int NLM_F_REQUEST = 0x01;
  public static final int NLM_F_ACK = 0x04;
  public static final int NLM_F_DUMP_INTR = 0x10;

  /** Modifiers to GET requests. */
  public static final int NLM_F_ROOT = 0x100;
  public static final int NLM_F_MATCH = 0x200;
  public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;

  /** Modifiers to NEW requests. */
  public static final int NLM_F_REPLACE = 0x100;
  public static final int NLM_F_EXCL = 0x200;
  public static final int NLM_F_CREATE = 0x400;

  /** Flags of an {@code NLMSG_ERROR} acknowledgement. */
  public static final int NLM_F_CAPPED = 0x100;
  public static final int NLM_F_ACK_TLVS = 0x200;

  /** Size of {@code struct nlattr} (and of {@code struct rtattr}). */
  public static final int NLA_HDRLEN = 4;
  public static final int NLA_F_NESTED = 1 << 15;
  public static final int NLA_F_NET_BYTEORDER = 1 << 14;
  public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xffff;

  /** Extended-ack attributes, after the original header in an {@code NLMSG_ERROR}. */
  public static final int NLMSGERR_ATTR_MSG = 1;

  /** Socket options at level {@code SOL_NETLINK}. */
  public static final int SOL_NETLINK = 270;
  public static final int NETLINK_ADD_MEMBERSHIP = 1;
  public static final int NETLINK_CAP_ACK = 10;
  public static final int NETLINK_EXT_ACK = 11;

  private Netlink() {
  }

  /** Rounds a length up to the 4-byte boundary that messages and attributes start on. */
  public static int align(int length) {
    return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
  }
}
