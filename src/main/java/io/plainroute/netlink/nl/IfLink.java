package io.plainroute.netlink.nl;

/**
 * Link attributes, spelled as in {@code linux/if_link.h}, and the interface flags of
 * {@code linux/if.h} carried in {@code ifinfomsg}.
 */
public final class IfLink {
  public static final int IFF_UP = 0x1;

  public static final int IFLA_ADDRESS = 1;
  public static final int IFLA_IFNAME = 3;
  public static final int IFLA_MTU = 4;
  public static final int IFLA_MASTER = 10;
  public static final int IFLA_LINKINFO = 18;

  /** Attributes nested in {@link #IFLA_LINKINFO}. */
  public static final int IFLA_INFO_KIND = 1;

  private IfLink() {
  }
}
