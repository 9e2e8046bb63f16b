package io.plainroute.agent;

import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import java.net.InetAddress;

/**
 * The route to one peer's pods in one family: {@code ip route add POD_CIDR via NODE_IP dev UPLINK}.
 *
 * @param node the peer node's name
 * @param podCIDR the peer's pod subnet of the family (host bits zero)
 * @param nodeIP the peer's node address of the same family, the next hop
 */
public record PeerRoute(String node, IpPrefix podCIDR, InetAddress nodeIP) {

  public IpFamily family() {
    return podCIDR.family();
  }
}
