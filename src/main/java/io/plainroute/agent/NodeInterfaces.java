package io.plainroute.agent;

import io.plainroute.netlink.Address;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netlink.Link;
import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import java.net.Inet4Address;
import java.util.List;
import java.util.Optional;

/**
 * The node's links and IPv4 addresses as one pass reads them: one dump of each, shared by every
 * part of the pass (the uplink, the bridge) instead of each part asking the kernel again.
 *
 * @param links every link of the namespace
 * @param addresses every IPv4 address of the namespace
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

  /** The interface holding {@code nodeIP}, with the networks it is attached to. */
  Optional<NodeUplink> uplink(Inet4Address nodeIP) {
    Optional<Address> own = addresses.stream().filter(a -> a.local().address().equals(nodeIP)).findFirst();
    if (own.isEmpty()) {
      return Optional.empty();
    }
    int index = own.get().linkIndex();
    List<Ipv4Prefix> prefixes = addresses(index).stream().map(a -> a.local().network()).distinct().toList();
    return links.stream().filter(l -> l.index() == index).findFirst()
        .map(l -> new NodeUplink(l.index(), l.name(), l.mac(), l.mtu(), prefixes));
  }
}
