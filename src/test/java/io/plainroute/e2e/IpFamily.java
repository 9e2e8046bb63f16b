package io.plainroute.e2e;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

/** An address family as the e2e tests see it: which {@code ip} flag shows it, which addresses are of it. */
enum IpFamily {
  IPV4("-4"),
  IPV6("-6");

  private final String ipFlag;

  IpFamily(String ipFlag) {
    this.ipFlag = ipFlag;
  }

  /** The flag that restricts {@code ip} to this family ({@code ip -6 route}). */
  String ipFlag() {
    return ipFlag;
  }

  /** The family of an address or prefix ("10.244.0.2", "fd00:10:244::/64"). */
  static IpFamily of(String addressOrPrefix) {
    return new IPAddressString(addressOrPrefix).getAddress().isIPv6() ? IPV6 : IPV4;
  }

  /** The first address of a subnet: its gateway on the node's bridge ("fd00:10:244:1::/64" -> "fd00:10:244:1::1"). */
  static String gatewayOf(String subnet) {
    IPAddress network = new IPAddressString(subnet).getAddress().toZeroHost();
    return network.increment(1).withoutPrefixLength().toCanonicalString();
  }

  @Override
  public String toString() {
    return this == IPV4 ? "IPv4" : "IPv6";
  }
}
