package io.plainroute.netlink.nl;

/** Address attributes, spelled as in {@code linux/if_addr.h}. */
public final class IfAddr {
  /** The peer address on point-to-point links; the local address itself elsewhere. */
  public static final int IFA_ADDRESS = 1;
  public static final int IFA_LOCAL = 2;

  private IfAddr() {
  }
}
