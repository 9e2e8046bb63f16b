package io.plainroute.ipam;

import inet.ipaddr.ipv4.IPv4Address;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the user's ranges and prefix length and builds the {@link SubnetPool}. The API server's
 * CEL rules refuse most of these already; this is the same judgement made again where CEL cannot
 * run (older API servers, objects stored before a rule existed) so that a bad spec becomes a
 * condition, never an exception.
 */
public final class PoolSpec {
  /** The longest node prefix: a /30 holds the gateway and one pod. */
  public static final int MAX_SUBNET_PREFIX = 30;

  private PoolSpec() {}

  /** A pool, or the problems that prevent one. */
  public sealed interface Result permits Valid, Invalid {}

  public record Valid(SubnetPool pool) implements Result {}

  public record Invalid(List<SpecProblem> problems) implements Result {}

  public static Result validate(List<String> clusterCIDRs, Integer subnetPrefixLength) {
    List<SpecProblem> problems = new ArrayList<>();
    if (clusterCIDRs == null || clusterCIDRs.isEmpty()) {
      problems.add(new SpecProblem("spec.clusterCIDRs", "at least one IPv4 range is required, e.g. 10.244.0.0/16"));
      return new Invalid(problems);
    }
    int prefix = subnetPrefixLength == null ? 24 : subnetPrefixLength;
    if (prefix < 1 || prefix > MAX_SUBNET_PREFIX) {
      problems.add(new SpecProblem("spec.nodeSubnetPrefixLength",
          "must be between 1 and " + MAX_SUBNET_PREFIX + " (24 gives each node 254 pod addresses), not " + prefix));
    }
    List<IPv4Address> ranges = new ArrayList<>();
    List<Integer> fieldIndexOfRange = new ArrayList<>();
    for (int i = 0; i < clusterCIDRs.size(); i++) {
      String field = "spec.clusterCIDRs[" + i + "]";
      IPv4Address range;
      try {
        range = Cidrs.parseNetwork(clusterCIDRs.get(i));
      } catch (Cidrs.InvalidCidrException e) {
        problems.add(new SpecProblem(field, e.getMessage()));
        continue;
      }
      for (int j = 0; j < ranges.size(); j++) {
        IPv4Address other = ranges.get(j);
        if (other.contains(range) || range.contains(other)) {
          problems.add(new SpecProblem(field, range.toCanonicalString() + " overlaps spec.clusterCIDRs[" + fieldIndexOfRange.get(j) + "] "
              + other.toCanonicalString() + "; ranges must be disjoint: remove one or pick another range"));
        }
      }
      if (range.getNetworkPrefixLength() >= prefix) {
        problems.add(new SpecProblem(field, range.toCanonicalString() + " is not larger than a node subnet (/" + prefix
            + "); use a wider range or a longer spec.nodeSubnetPrefixLength"));
      }
      ranges.add(range);
      fieldIndexOfRange.add(i);
    }
    if (!problems.isEmpty()) {
      return new Invalid(problems);
    }
    return new Valid(new SubnetPool(ranges, prefix));
  }
}
