package io.plainroute.agent;

/**
 * The route to one peer's pods: {@code ip route add POD_CIDR via NODE_IP dev UPLINK}.
 *
 * @param node the peer node's name
 * @param podCIDR the peer's pod subnet
 * @param nodeIP the peer's node address, the next hop
 */
public record PeerRoute(String node, String podCIDR, String nodeIP) {}
