package io.plainroute.netlink.nl;

/** Address attributes, spelled as in {@code linux/if_addr.h}. */
public final class IfAddr {
  /** The peer address on point-to-point links; the local address itself elsewhere. */
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;
  /** The 32-bit flags; {@code ifa_flags} of the header holds only the lower 8. */
  public static final int IFA_FLAGS = 8;
  /** No duplicate address detection: the address is usable at once. */
  public static final int IFA_F_NODAD = 0x02;

  private IfAddr() {
  }
}
