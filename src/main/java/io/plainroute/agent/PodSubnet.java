package io.plainroute.agent;

import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;
import java.net.InetAddress;
import java.util.Optional;

/**
 * This node's share of one family: {@code podCIDRs[i]}, {@code gateways[i]} and {@code nodeIPs[i]}
 * of its NodeNetwork, typed.
 *
 * @param podCIDR the node's subnet of the family (host bits zero)
 * @param gateway the bridge's address with the subnet's prefix length, e.g. 10.244.1.1/24
 * @param nodeIP the node's own address of the family, which finds that family's uplink
 */
public record PodSubnet(IpPrefix podCIDR, IpPrefix gateway, Optional<InetAddress> nodeIP) {

  public IpFamily family() {
    return podCIDR.family();
  }
}
