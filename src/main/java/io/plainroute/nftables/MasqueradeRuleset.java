package io.plainroute.nftables;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import io.plainroute.netlink.Ipv4Prefix;

/**
 * What the masquerade rule says: traffic from the cluster ranges to anywhere outside them, not
 * leaving through the bridge, gets the node's address. The ranges are kept sorted, so two
 * rulesets with the same ranges are equal whatever order they were given in.
 *
 * <p>Both parts end up in nft syntax, so they are checked here and nothing else reaches it: the
 * ranges are network prefixes that do not overlap (an nft interval set refuses overlaps), and the
 * bridge name is a Linux interface name made of characters that mean nothing to nft's parser.
 *
 * @param clusterRanges the cluster's pod ranges, e.g. {@code 10.244.0.0/16}; at least one
 * @param bridgeName the node's pod bridge, e.g. {@code cni0}
 */
public record MasqueradeRuleset(List<Ipv4Prefix> clusterRanges, String bridgeName) {
  /** IFNAMSIZ less the terminating zero. */
  static final int MAX_INTERFACE_NAME = 15;
  /** The same characters as ClusterNetwork's bridgeName, which the API server already checks. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  public MasqueradeRuleset {
    clusterRanges = checkRanges(clusterRanges);
    checkInterfaceName(bridgeName);
  }

  /** Parses ranges written as {@code a.b.c.d/n}. */
  public static MasqueradeRuleset of(List<String> clusterCIDRs, String bridgeName) {
    if (clusterCIDRs == null) {
      throw new IllegalArgumentException("the cluster ranges are required");
    }
    return new MasqueradeRuleset(clusterCIDRs.stream().map(Ipv4Prefix::parse).toList(), bridgeName);
  }

  private static List<Ipv4Prefix> checkRanges(List<Ipv4Prefix> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one cluster range is required");
    }
    for (Ipv4Prefix range : ranges) {
      if (range == null) {
        throw new IllegalArgumentException("a cluster range is missing (null)");
      }
      if (!range.isNetwork()) {
        throw new IllegalArgumentException("cluster range " + range + " has host bits set: the range is "
            + range.network());
      }
      if (range.length() == 0) {
        throw new IllegalArgumentException("cluster range " + range
            + " is every address: no traffic would leave the cluster ranges");
      }
    }
    List<Ipv4Prefix> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(MasqueradeRuleset::first).thenComparingInt(Ipv4Prefix::length));
    // Sorted by first address, prefixes that overlap at all overlap a neighbour.
    for (int i = 1; i < sorted.size(); i++) {
      Ipv4Prefix previous = sorted.get(i - 1);
      if (first(sorted.get(i)) <= last(previous)) {
        throw new IllegalArgumentException("cluster ranges " + previous + " and " + sorted.get(i) + " overlap");
      }
    }
    return List.copyOf(sorted);
  }

  /**
   * Refuses anything but a Linux interface name of letters, digits, '_', '.' and '-': the name
   * goes into a quoted nft string, where a quote, backslash, space or '*' (nft's wildcard) would
   * change what the rule means.
   */
  static void checkInterfaceName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("the bridge name is required");
    }
    if (name.length() > MAX_INTERFACE_NAME || !INTERFACE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a bridge name plainroute accepts: 1 to "
          + MAX_INTERFACE_NAME + " letters, digits, '_', '.' or '-', starting with a letter or digit (e.g. cni0)");
    }
  }

  private static long first(Ipv4Prefix prefix) {
    return Integer.toUnsignedLong(ByteBuffer.wrap(prefix.address().getAddress()).getInt());
  }

  private static long last(Ipv4Prefix prefix) {
    return first(prefix) + (1L << (32 - prefix.length())) - 1;
  }
}
