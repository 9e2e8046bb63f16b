package io.plainroute.ipam;

import static io.plainroute.ipam.PoolSpecTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.ipv4.IPv4Address;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubnetPoolTest {

  @Test
  void handsOutTheLowestFreeSubnetFirst() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    assertThat(text(pool.firstFree(Set.of()))).isEqualTo("10.244.0.0/24");
    assertThat(text(pool.firstFree(Set.of(net("10.244.0.0/24"), net("10.244.2.0/24"))))).isEqualTo("10.244.1.0/24");
  }

  @Test
  void appendedRangesAreUsedAfterTheFirstIsFull() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/23", "10.250.0.0/23"), 24);
    Set<IPv4Address> taken = Set.of(net("10.244.0.0/24"), net("10.244.1.0/24"));
    assertThat(text(pool.firstFree(taken))).isEqualTo("10.250.0.0/24");
  }

  @Test
  void anExhaustedPoolHasNoFreeSubnet() throws Exception {
    SubnetPool pool = valid(List.of("10.1.0.0/23"), 24);
    assertThat(pool.firstFree(Set.of(net("10.1.0.0/24"), net("10.1.1.0/24")))).isEmpty();
  }

  @Test
  void holdsOnlyAlignedSubnetsOfItsSizeInsideItsRanges() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    assertThat(pool.holds(net("10.244.7.0/24"))).isTrue();
    assertThat(pool.holds(net("10.244.7.0/25"))).isFalse();
    assertThat(pool.holds(net("10.244.0.0/23"))).isFalse();
    assertThat(pool.holds(net("10.245.7.0/24"))).isFalse();
  }

  @Test
  void foreignAndDuplicateSubnetsDoNotCountAsHeld() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    assertThat(pool.countHeld(List.of(net("10.244.1.0/24"), net("10.244.1.0/24"), net("192.168.0.0/24")))).isEqualTo(1);
  }

  @Test
  void theSubnetContainingANodeAddress() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    IPv4Address nodeIP = Cidrs.parseAddress("10.244.9.17").orElseThrow();
    assertThat(text(pool.subnetContaining(nodeIP))).isEqualTo("10.244.9.0/24");
    assertThat(pool.subnetContaining(Cidrs.parseAddress("192.168.1.11").orElseThrow())).isEmpty();
  }

  @Test
  void aCursorSkipsSubnetsMarkedTakenAfterItWasMade() throws Exception {
    SubnetPool pool = valid(List.of("10.244.0.0/16"), 24);
    SubnetPool.FreeSubnets free = pool.free(Set.of(net("10.244.0.0/24")));
    free.markTaken(net("10.244.1.0/24"));
    assertThat(text(free.next())).isEqualTo("10.244.2.0/24");
    assertThat(text(free.next())).isEqualTo("10.244.3.0/24");
  }

  @Test
  void findsTheFirstGapQuicklyInAHugeNearlyEmptyPool() throws Exception {
    SubnetPool pool = valid(List.of("10.0.0.0/8"), 30);
    assertThat(pool.capacity()).isEqualTo(4_194_304L);
    assertThat(text(pool.firstFree(Set.of(net("10.0.0.0/30"))))).isEqualTo("10.0.0.4/30");
  }

  /**
   * Property: for random ranges, prefixes and taken sets, the cursor yields exactly the subnets of
   * the pool that are not taken, in ascending order, each inside a range, none overlapping.
   */
  @Test
  void freeSubnetsAreExactlyTheComplementOfTakenInOrder() {
    Random random = new Random(20261125);
    for (int round = 0; round < 300; round++) {
      int prefix = 20 + random.nextInt(9);
      List<String> ranges = new ArrayList<>();
      ranges.add("10." + random.nextInt(256) + ".0.0/" + (prefix - 1 - random.nextInt(3)));
      if (random.nextBoolean()) {
        ranges.add("172.16.0.0/" + (prefix - 1 - random.nextInt(2)));
      }
      SubnetPool pool = valid(ranges, prefix);
      List<IPv4Address> all = new ArrayList<>();
      for (Optional<IPv4Address> s = pool.free(Set.of()).next(); all.size() <= pool.capacity() && s.isPresent(); ) {
        all.add(s.get());
        s = pool.firstFree(all);
      }
      assertThat(all).hasSize((int) pool.capacity()).doesNotHaveDuplicates().allMatch(pool::holds);
      Set<IPv4Address> taken = new HashSet<>();
      all.forEach(s -> { if (random.nextInt(3) == 0) taken.add(s); });
      List<IPv4Address> expected = all.stream().filter(s -> !taken.contains(s)).toList();
      List<IPv4Address> actual = new ArrayList<>();
      SubnetPool.FreeSubnets free = pool.free(taken);
      for (Optional<IPv4Address> s = free.next(); s.isPresent(); s = free.next()) {
        actual.add(s.get());
      }
      assertThat(actual).isEqualTo(expected);
      for (int i = 1; i < actual.size(); i++) {
        assertThat(actual.get(i - 1).overlaps(actual.get(i))).isFalse();
        assertThat(actual.get(i - 1).getLower().longValue()).isLessThan(actual.get(i).getLower().longValue());
      }
    }
  }

  private static IPv4Address net(String cidr) throws Cidrs.InvalidCidrException {
    return Cidrs.parseNetwork(cidr);
  }

  private static String text(Optional<IPv4Address> subnet) {
    return subnet.map(IPv4Address::toCanonicalString).orElse("<none>");
  }
}
