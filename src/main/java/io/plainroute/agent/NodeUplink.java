package io.plainroute.agent;

import io.plainroute.netlink.Ipv4Prefix;
import java.net.Inet4Address;
import java.util.List;

/**
 * The interface that holds the node's own IP: where peer routes go out, whose MTU pods inherit
 * when the ClusterNetwork says 0, and whose MAC the controller compares across nodes.
 *
 * @param index interface index
 * @param name interface name, e.g. eth0
 * @param mac hardware address
 * @param mtu MTU
 * @param prefixes the IPv4 networks the interface is attached to (10.0.0.0/24): peers whose node
 *     IP lies in one of them are on-link
 */
public record NodeUplink(int index, String name, String mac, int mtu, List<Ipv4Prefix> prefixes) {

  /** Whether {@code address} is on one of the uplink's networks, so the kernel can reach it directly. */
  boolean isOnLink(Inet4Address address) {
    return prefixes.stream().anyMatch(prefix -> prefix.equals(new Ipv4Prefix(address, prefix.length()).network()));
  }
}
