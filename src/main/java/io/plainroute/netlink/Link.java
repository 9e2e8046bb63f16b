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
 */
public record Link(int index, String name, boolean up, int mtu, String mac, String kind) {
}
