package io.plainroute.agent;

import io.plainroute.netlink.Address;
import io.plainroute.netlink.IpPrefix;
import io.plainroute.netlink.Ipv6Prefix;
import io.plainroute.netlink.Link;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * The node's links and addresses (both families) as one pass reads them: one dump of each, shared
 * by every part of the pass (the uplinks, the bridge) instead of each part asking the kernel again.
 *
 * @param links every link of the namespace
 * @param addresses every IPv4 and IPv6 address of the namespace
 */
record NodeInterfaces(List<Link> links, List<Address> addresses) {

  static NodeInterfaces read(NetlinkHandle netlink) throws NetlinkException {
    return new NodeInterfaces(netlink.links(), netlink.addresses());
  }

  Optional<Link> link(String name) {
    return links.stream().filter(l -> l.name().equals(name)).findFirst();
  }

  List<Address> addresses(int linkIndex) {
    return addresses.stream().filter(a -> a.linkIndex() == linkIndex).toList();
  }

  /** The interface holding {@code nodeIP}, with the networks of its family it is attached to. */
  Optional<NodeUplink> uplink(InetAddress nodeIP) {
    Optional<Address> own = addresses.stream().filter(a -> a.local().address().equals(nodeIP)).findFirst();
    if (own.isEmpty()) {
      return Optional.empty();
    }
    int index = own.get().linkIndex();
    // Not the IPv6 link-local fe80::/64 every link has: no node IP is link-local.
    List<IpPrefix> prefixes = addresses(index).stream().map(Address::local)
        .filter(local -> local.family() == own.get().local().family() && !(local instanceof Ipv6Prefix v6 && v6.isLinkLocal()))
        .map(IpPrefix::network).distinct().toList();
    return links.stream().filter(l -> l.index() == index).findFirst()
        .map(l -> new NodeUplink(l.index(), l.name(), l.mac(), l.mtu(), prefixes));
  }
}
