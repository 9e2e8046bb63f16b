package io.plainroute.netlink;

/**
 * An address of either family assigned to a link, as in {@code ip addr add 10.244.3.1/24 dev br0}
 * or {@code ip addr add fd00:10:244:3::1/64 dev br0}.
 *
 * @param linkIndex index of the link that holds the address
 * @param local the address and its prefix length; host bits are significant here
 */
public record Address(int linkIndex, IpPrefix local) {

  @Override
  public String toString() {
    return local + " dev " + linkIndex;
  }
}
