package io.plainroute.agent;

import io.plainroute.netlink.IpPrefix;
import java.net.InetAddress;
import java.util.List;

/**
 * The interface that holds the node's own IP of one family: where that family's peer routes go
 * out, whose MTU pods inherit when the ClusterNetwork says 0, and whose MAC the controller
 * compares across nodes.
 *
 * @param index interface index
 * @param name interface name, e.g. eth0
 * @param mac hardware address
 * @param mtu MTU
 * @param prefixes the networks of the node IP's family the interface is attached to
 *     (10.0.0.0/24, fd00:10::/64): peers whose node IP lies in one of them are on-link
 */
public record NodeUplink(int index, String name, String mac, int mtu, List<IpPrefix> prefixes) {

  /** Whether {@code address} is on one of the uplink's networks, so the kernel can reach it directly. */
  boolean isOnLink(InetAddress address) {
    IpPrefix host = IpPrefix.host(address);
    return prefixes.stream().anyMatch(prefix -> prefix.covers(host));
  }
}
