package io.plainroute.netlink;

/**
 * A network interface as {@code ip -d link show} describes it.
 *
 * @param index interface index, the key that other calls take
 * @param name interface name, e.g. {@code br0}
 * @param up whether the administrative state is up ({@code IFF_UP})
 * @param mtu maximum transmission unit in bytes
 * @param mac hardware address as lower-case colon-separated hex, empty when the link has none
 * @param kind driver kind from {@code IFLA_INFO_KIND}, e.g. {@code bridge}; empty for links
 *     without one (loopback, physical devices)
 * @param master index of the link this one is enslaved to ({@code IFLA_MASTER}, e.g. the bridge
 *     a port belongs to), 0 when none
 */
public record Link(int index, String name, boolean up, int mtu, String mac, String kind, int master) {

  /** A link that belongs to no master. */
  public Link(int index, String name, boolean up, int mtu, String mac, String kind) {
    this(index, name, up, mtu, mac, kind, 0);
  }
}
