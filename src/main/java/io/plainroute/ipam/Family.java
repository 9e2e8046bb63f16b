package io.plainroute.ipam;

import inet.ipaddr.IPAddress;

/**
 * An address family and what the spec says of it: the field holding its node subnet size, the
 * default size and the longest allowed one (the gateway and one pod must fit).
 */
public enum Family {
  IPv4(32, 24, 30, "spec.nodeSubnetPrefixLength", "10.244.0.0/16"),
  IPv6(128, 64, 126, "spec.nodeSubnetPrefixLengthIPv6", "fd00:10:244::/56");

  private final int bits;
  private final int defaultSubnetPrefix;
  private final int maxSubnetPrefix;
  private final String subnetPrefixField;
  private final String example;

  Family(int bits, int defaultSubnetPrefix, int maxSubnetPrefix, String subnetPrefixField, String example) {
    this.bits = bits;
    this.defaultSubnetPrefix = defaultSubnetPrefix;
    this.maxSubnetPrefix = maxSubnetPrefix;
    this.subnetPrefixField = subnetPrefixField;
    this.example = example;
  }

  public static Family of(IPAddress address) {
    return address.isIPv4() ? IPv4 : IPv6;
  }

  /** Address length in bits. */
  public int bits() {
    return bits;
  }

  public int defaultSubnetPrefix() {
    return defaultSubnetPrefix;
  }

  /** The longest node prefix: the gateway and one pod must fit. */
  public int maxSubnetPrefix() {
    return maxSubnetPrefix;
  }

  /** The ClusterNetwork field that sets this family's node subnet size. */
  public String subnetPrefixField() {
    return subnetPrefixField;
  }

  /** A range of this family as a user would write it, for messages. */
  public String example() {
    return example;
  }
}
