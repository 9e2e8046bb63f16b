package io.plainroute.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolSpecTest {

  @Test
  void theLecturesRangeHolds256NodeSubnets() {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    assertThat(pool.capacity()).isEqualTo(256);
  }

  @Test
  void capacityAddsUpAcrossRangesOfDifferentSizes() {
    assertThat(valid(List.of("10.244.0.0/16", "172.20.0.0/22"), 26).capacity()).isEqualTo(1024 + 16);
    assertThat(valid(List.of("10.0.0.0/8"), 30).capacity()).isEqualTo(1L << 22);
  }

  @Test
  void namesTheFieldOfEveryProblem() {
    List<SpecProblem> problems = problems(List.of("10.244.0.0/16", "10.244.5.0/24", "nonsense", "10.0.0.0/8"), 24);
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.clusterCIDRs[1]", "spec.clusterCIDRs[1]", "spec.clusterCIDRs[2]", "spec.clusterCIDRs[3]", "spec.clusterCIDRs[3]");
    assertThat(problems.get(0).message()).contains("10.244.5.0/24 overlaps spec.clusterCIDRs[0] 10.244.0.0/16");
    assertThat(problems.get(1).message()).contains("is not larger than a node subnet (/24)");
    assertThat(problems.get(2).message()).contains("'nonsense' is not an IPv4 or IPv6 network");
    // Indexes name entries of the user's list, also after an entry that did not parse.
    assertThat(problems.get(3).message()).contains("overlaps spec.clusterCIDRs[0]");
    assertThat(problems.get(4).message()).contains("overlaps spec.clusterCIDRs[1]");
  }

  @Test
  void refusesAnEmptyListAndPrefixesOutOfBounds() {
    assertThat(problems(List.of(), 24)).extracting(SpecProblem::field).containsExactly("spec.clusterCIDRs");
    assertThat(problems(List.of("10.244.0.0/16"), 31)).extracting(SpecProblem::field).containsExactly("spec.nodeSubnetPrefixLength");
    assertThat(problems(List.of("10.244.0.0/16"), 0)).extracting(SpecProblem::field).contains("spec.nodeSubnetPrefixLength");
  }

  @Test
  void aRangeMustHoldMoreThanOneNodeSubnet() {
    assertThat(problems(List.of("10.250.0.0/24"), 24)).singleElement().extracting(SpecProblem::field).isEqualTo("spec.clusterCIDRs[0]");
    assertThat(valid(List.of("10.250.0.0/23"), 24).capacity()).isEqualTo(2);
  }

  @Test
  void aDuplicateRangeIsAnOverlap() {
    assertThat(problems(List.of("10.244.0.0/16", "10.244.0.0/16"), 24))
        .singleElement().extracting(SpecProblem::field).isEqualTo("spec.clusterCIDRs[1]");
  }

  @Test
  void aDualStackSpecGivesOnePoolPerFamilyPrimaryFirst() {
    ClusterPools pools = validPools(List.of("fd00:10:244::/56", "10.244.0.0/16", "fd00:20::/56"), 24, 64);
    assertThat(pools.families()).containsExactly(Family.IPv6, Family.IPv4);
    assertThat(pools.primary().ranges()).extracting(r -> r.toCanonicalString()).containsExactly("fd00:10:244::/56", "fd00:20::/56");
    assertThat(pools.primary().capacity()).isEqualTo(512);
    assertThat(pools.of(Family.IPv4).orElseThrow().capacity()).isEqualTo(256);
  }

  @Test
  void ipv6ProblemsNameTheirField() {
    PoolSpec.Result result = PoolSpec.validate(List.of("10.244.0.0/16", "fd00:10:244::1/56", "fd00::/8", "fd00:10::/64", "fd00:10::/32"), 24, 64);
    List<SpecProblem> problems = ((PoolSpec.Invalid) result).problems();
    assertThat(problems).extracting(SpecProblem::field)
        .containsExactly("spec.clusterCIDRs[1]", "spec.clusterCIDRs[3]", "spec.clusterCIDRs[3]", "spec.clusterCIDRs[4]", "spec.clusterCIDRs[4]");
    assertThat(problems.get(0).message()).contains("did you mean fd00:10:244::/56");
    assertThat(problems.get(1).message()).contains("fd00:10::/64 overlaps spec.clusterCIDRs[2] fd00::/8");
    assertThat(problems.get(2).message()).contains("is not larger than a node subnet (/64); use a wider range or a longer spec.nodeSubnetPrefixLengthIPv6");
    assertThat(problems.get(3).message()).contains("overlaps spec.clusterCIDRs[2]");
    assertThat(problems.get(4).message()).contains("fd00:10::/32 overlaps spec.clusterCIDRs[3] fd00:10::/64");
    // Ranges of different families never overlap, even when their bits would.
    assertThat(PoolSpec.validate(List.of("0.0.0.0/1", "::/1"), 24, 64)).isInstanceOf(PoolSpec.Valid.class);
  }

  @Test
  void theIPv6NodePrefixHasItsOwnBounds() {
    assertThat(((PoolSpec.Invalid) PoolSpec.validate(List.of("fd00::/48"), 24, 127)).problems())
        .extracting(SpecProblem::field).containsExactly("spec.nodeSubnetPrefixLengthIPv6");
    assertThat(validPools(List.of("fd00::/48"), 24, 126).primary().subnetPrefixLength()).isEqualTo(126);
    // Left out, it is 64.
    assertThat(((PoolSpec.Valid) PoolSpec.validate(List.of("fd00::/48"), 24, null)).pools().primary().subnetPrefixLength()).isEqualTo(64);
  }

  static ClusterPools validPools(List<String> ranges, int prefix, int prefixIPv6) {
    PoolSpec.Result result = PoolSpec.validate(ranges, prefix, prefixIPv6);
    assertThat(result).isInstanceOf(PoolSpec.Valid.class);
    return ((PoolSpec.Valid) result).pools();
  }

  static SubnetPool valid(List<String> ranges, int prefix) {
    PoolSpec.Result result = PoolSpec.validate(ranges, prefix);
    assertThat(result).isInstanceOf(PoolSpec.Valid.class);
    return ((PoolSpec.Valid) result).pools().primary();
  }

  private static List<SpecProblem> problems(List<String> ranges, int prefix) {
    PoolSpec.Result result = PoolSpec.validate(ranges, prefix);
    assertThat(result).isInstanceOf(PoolSpec.Invalid.class);
    return ((PoolSpec.Invalid) result).problems();
  }
}
