package io.plainroute.nftables;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

import io.plainroute.netlink.IpFamily;
import io.plainroute.netlink.IpPrefix;

/**
 * What the masquerade rules say: traffic from the cluster ranges to anywhere outside them (of the
 * same family), not leaving through the bridge, gets the node's address. The ranges are kept
 * sorted (IPv4 first), so two rulesets with the same ranges are equal whatever order they were
 * given in.
 *
 * <p>Both parts end up in nft syntax, so they are checked here and nothing else reaches it: the
 * ranges are network prefixes that do not overlap within a family (an nft interval set refuses
 * overlaps), and the
 * bridge name is a Linux interface name made of characters that mean nothing to nft's parser.
 *
 * @param clusterRanges the cluster's pod ranges of both families, e.g. {@code 10.244.0.0/16} and
 *     {@code fd00:10:244::/48}; at least one
 * @param bridgeName the node's pod bridge, e.g. {@code cni0}
 */
public record MasqueradeRuleset(List<IpPrefix> clusterRanges, String bridgeName) {
  /** IFNAMSIZ less the terminating zero. */
  static final int MAX_INTERFACE_NAME = 15;
  /** The same characters as ClusterNetwork's bridgeName, which the API server already checks. */
  private static final Pattern INTERFACE_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");

  public MasqueradeRuleset {
    clusterRanges = checkRanges(clusterRanges);
    checkInterfaceName(bridgeName);
  }

  /** The ranges of one family. */
  public List<IpPrefix> ranges(IpFamily family) {
    return clusterRanges.stream().filter(r -> r.family() == family).toList();
  }

  /** Parses ranges written as {@code a.b.c.d/n} or IPv6 {@code address/n}. */
  public static MasqueradeRuleset of(List<String> clusterCIDRs, String bridgeName) {
    if (clusterCIDRs == null) {
      throw new IllegalArgumentException("the cluster ranges are required");
    }
    return new MasqueradeRuleset(clusterCIDRs.stream().map(IpPrefix::parse).toList(), bridgeName);
  }

  private static List<IpPrefix> checkRanges(List<IpPrefix> ranges) {
    if (ranges == null || ranges.isEmpty()) {
      throw new IllegalArgumentException("at least one cluster range is required");
    }
    for (IpPrefix range : ranges) {
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
    List<IpPrefix> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparing(IpPrefix::family).thenComparing(MasqueradeRuleset::first).thenComparingInt(IpPrefix::length));
    // Sorted by family and first address, prefixes that overlap at all overlap a neighbour.
    for (int i = 1; i < sorted.size(); i++) {
      IpPrefix previous = sorted.get(i - 1);
      if (previous.family() == sorted.get(i).family() && first(sorted.get(i)).compareTo(last(previous)) <= 0) {
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

  private static BigInteger first(IpPrefix prefix) {
    return new BigInteger(1, prefix.address().getAddress());
  }

  private static BigInteger last(IpPrefix prefix) {
    return first(prefix).add(BigInteger.ONE.shiftLeft(prefix.family().bits() - prefix.length())).subtract(BigInteger.ONE);
  }
}
