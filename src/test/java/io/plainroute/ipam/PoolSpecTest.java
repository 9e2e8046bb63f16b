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
    assertThat(problems.get(2).message()).contains("'nonsense' is not an IPv4 network");
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

  static SubnetPool valid(List<String> ranges, int prefix) {
    PoolSpec.Result result = PoolSpec.validate(ranges, prefix);
    assertThat(result).isInstanceOf(PoolSpec.Valid.class);
    return ((PoolSpec.Valid) result).pool();
  }

  private static List<SpecProblem> problems(List<String> ranges, int prefix) {
    PoolSpec.Result result = PoolSpec.validate(ranges, prefix);
    assertThat(result).isInstanceOf(PoolSpec.Invalid.class);
    return ((PoolSpec.Invalid) result).problems();
  }
}
