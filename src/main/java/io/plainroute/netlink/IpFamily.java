package io.plainroute.netlink;

import io.plainroute.netlink.nl.Rtnetlink;

/** An address family plainroute routes: IPv4 or IPv6, with what the kernel and people call it. */
public enum IpFamily {
  IPV4("IPv4", Rtnetlink.AF_INET, 32),
  IPV6("IPv6", Rtnetlink.AF_INET6, 128);

  private final String displayName;
  private final int addressFamily;
  private final int bits;

  IpFamily(String displayName, int addressFamily, int bits) {
    this.displayName = displayName;
    this.addressFamily = addressFamily;
    this.bits = bits;
  }

  /** {@code AF_INET} or {@code AF_INET6}, as in message headers. */
  public int addressFamily() {
    return addressFamily;
  }

  /** The address length in bits: 32 or 128. */
  public int bits() {
    return bits;
  }

  /** {@code IPv4} or {@code IPv6}, as the API and messages spell them. */
  @Override
  public String toString() {
    return displayName;
  }

  /** The family of an {@code AF_*} number, or null for any other. */
  static IpFamily ofAddressFamily(int addressFamily) {
    return addressFamily == Rtnetlink.AF_INET ? IPV4 : addressFamily == Rtnetlink.AF_INET6 ? IPV6 : null;
  }
}
