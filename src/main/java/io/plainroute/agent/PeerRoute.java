package io.plainroute.agent;

import io.plainroute.netlink.Ipv4Prefix;
import java.net.Inet4Address;

/**
 * The route to one peer's pods: {@code ip route add POD_CIDR via NODE_IP dev UPLINK}.
 *
 * @param node the peer node's name
 * @param podCIDR the peer's pod subnet (host bits zero)
 * @param nodeIP the peer's node address, the next hop
 */
public record PeerRoute(String node, Ipv4Prefix podCIDR, Inet4Address nodeIP) {}
