package io.plainroute.agent;

import io.plainroute.netlink.NetlinkHandle;
import java.io.IOException;
import java.util.List;

/**
 * IPv4 forwarding of the node ({@code net.ipv4.ip_forward}): without it no packet of a pod
 * leaves for another node. A pass turns it on when someone turned it off.
 */
final class Forwarding {
  private final NetlinkHandle netlink;

  Forwarding(NetlinkHandle netlink) {
    this.netlink = netlink;
  }

  /** Turns forwarding on when it is off; {@code repairs} says so. */
  void ensure(List<String> repairs) throws IOException {
    if (!netlink.ipv4Forwarding()) {
      netlink.setIpv4Forwarding(true);
      repairs.add("IPv4 forwarding was off");
    }
  }
}
