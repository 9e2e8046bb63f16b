package io.plainroute.ipam;

import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the user's ranges and prefix lengths and builds one {@link SubnetPool} per family. The API
 * server's CEL rules refuse most of these already; this is the same judgement made again where CEL
 * cannot run (older API servers, objects stored before a rule existed) so that a bad spec becomes a
 * condition, never an exception.
 */
public final class PoolSpec {
  /** The longest IPv4 node prefix: a /30 holds the gateway and one pod. */
  public static final int MAX_SUBNET_PREFIX = Family.IPv4.maxSubnetPrefix();

  private PoolSpec() {}

  /** Pools, or the problems that prevent them. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(ClusterPools pools) implements Result {}

  public record Invalid(List<SpecProblem> problems) implements Result {}

  /** An IPv4-only spec (the IPv6 node prefix at its default). */
  public static Result validate(List<String> clusterCIDRs, Integer subnetPrefixLength) {
    return validate(clusterCIDRs, subnetPrefixLength, null);
  }

  public static Result validate(List<String> clusterCIDRs, Integer subnetPrefixLength, Integer subnetPrefixLengthIPv6) {
    List<SpecProblem> problems = new ArrayList<>();
    if (clusterCIDRs == null || clusterCIDRs.isEmpty()) {
      problems.add(new SpecProblem("spec.clusterCIDRs", "at least one range is required, e.g. 10.244.0.0/16 or fd00:10:244::/56"));
      return new Invalid(problems);
    }
    Map<Family, Integer> prefixes = Map.of(
        Family.IPv4, prefixOrDefault(Family.IPv4, subnetPrefixLength, problems),
        Family.IPv6, prefixOrDefault(Family.IPv6, subnetPrefixLengthIPv6, problems));
    Map<Family, List<IPAddress>> rangesByFamily = new LinkedHashMap<>();
    List<IPAddress> ranges = new ArrayList<>();
    List<Integer> fieldIndexOfRange = new ArrayList<>();
    for (int i = 0; i < clusterCIDRs.size(); i++) {
      String field = "spec.clusterCIDRs[" + i + "]";
      IPAddress range;
      try {
        range = Cidrs.parseNetwork(clusterCIDRs.get(i));
      } catch (Cidrs.InvalidCidrException e) {
        problems.add(new SpecProblem(field, e.getMessage()));
        continue;
      }
      for (int j = 0; j < ranges.size(); j++) {
        IPAddress other = ranges.get(j);
        if (other.getIPVersion() == range.getIPVersion() && (other.contains(range) || range.contains(other))) {
          problems.add(new SpecProblem(field, range.toCanonicalString() + " overlaps spec.clusterCIDRs[" + fieldIndexOfRange.get(j) + "] "
              + other.toCanonicalString() + "; ranges must be disjoint: remove one or pick another range"));
        }
      }
      Family family = Family.of(range);
      int prefix = prefixes.get(family);
      if (range.getNetworkPrefixLength() >= prefix) {
        problems.add(new SpecProblem(field, range.toCanonicalString() + " is not larger than a node subnet (/" + prefix
            + "); use a wider range or a longer " + family.subnetPrefixField()));
      }
      ranges.add(range);
      fieldIndexOfRange.add(i);
      rangesByFamily.computeIfAbsent(family, f -> new ArrayList<>()).add(range);
    }
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    List<SubnetPool> pools = new ArrayList<>();
    rangesByFamily.forEach((family, of) -> pools.add(new SubnetPool(family, of, prefixes.get(family))));
    return new Valid(new ClusterPools(pools));
  }

  private static int prefixOrDefault(Family family, Integer given, List<SpecProblem> problems) {
    int prefix = given == null ? family.defaultSubnetPrefix() : given;
    if (prefix < 1 || prefix > family.maxSubnetPrefix()) {
      problems.add(new SpecProblem(family.subnetPrefixField(), "must be between 1 and " + family.maxSubnetPrefix() + " ("
          + family.defaultSubnetPrefix() + " is the default), not " + prefix));
    }
    return prefix;
  }
}
