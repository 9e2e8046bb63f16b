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
  /** A bridge port's settings, nested, in a request of family {@code AF_BRIDGE}. */
  public static final int IFLA_PROTINFO = 12;
  public static final int IFLA_LINKINFO = 18;

  /** Attributes nested in {@link #IFLA_LINKINFO}. */
  public static final int IFLA_INFO_KIND = 1;

  /** Attributes nested in {@link #IFLA_PROTINFO} ({@code IFLA_BRPORT_*}): hairpin mode, a u8. */
  public static final int IFLA_BRPORT_MODE = 4;

  private IfLink() {
  }
}
