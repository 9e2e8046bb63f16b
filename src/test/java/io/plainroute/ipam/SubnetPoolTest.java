package io.plainroute.ipam;

import static io.plainroute.ipam.PoolSpecTest.valid;
import static org.assertj.core.api.Assertions.assertThat;

import inet.ipaddr.IPAddress;
import java.math.BigInteger;
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
    Set<IPAddress> taken = Set.of(net("10.244.0.0/24"), net("10.244.1.0/24"));
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
    IPAddress nodeIP = Cidrs.parseAddress("10.244.9.17").orElseThrow();
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
      List<IPAddress> all = new ArrayList<>();
      for (Optional<IPAddress> s = pool.free(Set.of()).next(); all.size() <= pool.capacity() && s.isPresent(); ) {
        all.add(s.get());
        s = pool.firstFree(all);
      }
      assertThat(all).hasSize((int) pool.capacity()).doesNotHaveDuplicates().allMatch(pool::holds);
      Set<IPAddress> taken = new HashSet<>();
      all.forEach(s -> { if (random.nextInt(3) == 0) taken.add(s); });
      List<IPAddress> expected = all.stream().filter(s -> !taken.contains(s)).toList();
      List<IPAddress> actual = new ArrayList<>();
      SubnetPool.FreeSubnets free = pool.free(taken);
      for (Optional<IPAddress> s = free.next(); s.isPresent(); s = free.next()) {
        actual.add(s.get());
      }
      assertThat(actual).isEqualTo(expected);
      for (int i = 1; i < actual.size(); i++) {
        assertThat(actual.get(i - 1).overlaps(actual.get(i))).isFalse();
        assertThat(actual.get(i - 1).getLower().getValue()).isLessThan(actual.get(i).getLower().getValue());
      }
    }
  }

  private static IPAddress net(String cidr) throws Cidrs.InvalidCidrException {
    return Cidrs.parseNetwork(cidr);
  }

  private static String text(Optional<IPAddress> subnet) {
    return subnet.map(IPAddress::toCanonicalString).orElse("<none>");
  }

  @Test
  void anIPv6SlashThirtyTwoCutIntoSlashSixtyFours() throws Exception {
    SubnetPool pool = valid6(List.of("fd00:10::/32"), 64);
    assertThat(pool.family()).isEqualTo(Family.IPv6);
    assertThat(pool.capacity()).isEqualTo(1L << 32);
    assertThat(text(pool.firstFree(Set.of()))).isEqualTo("fd00:10::/64");
    assertThat(text(pool.firstFree(Set.of(net("fd00:10::/64"), net("fd00:10:0:2::/64"))))).isEqualTo("fd00:10:0:1::/64");
    assertThat(pool.holds(net("fd00:10:ffff:ffff::/64"))).isTrue();
    assertThat(pool.holds(net("fd00:11::/64"))).isFalse();
    assertThat(pool.holds(net("fd00:10::/65"))).isFalse();
  }

  @Test
  void anIPv6SlashEightCutIntoSlashOneTwentiesIsNoBitmap() throws Exception {
    SubnetPool pool = valid6(List.of("fd00::/8"), 120);
    assertThat(pool.exactCapacity()).isEqualTo(BigInteger.ONE.shiftLeft(112));
    // Status and metrics show the count clamped to a long.
    assertThat(pool.capacity()).isEqualTo(Long.MAX_VALUE);
    assertThat(text(pool.firstFree(Set.of(net("fd00::/120"))))).isEqualTo("fd00::100/120");
    // The last subnet of the range is a number beyond 2^64: it is held and counted like the first.
    IPAddress last = net("fdff:ffff:ffff:ffff:ffff:ffff:ffff:ff00/120");
    assertThat(pool.holds(last)).isTrue();
    assertThat(pool.countHeld(List.of(last, net("fd00::/120"), net("10.0.0.0/24")))).isEqualTo(2);
  }

  @Test
  void theFirstFreeIPv6SubnetAfterManyTakenOnes() throws Exception {
    SubnetPool pool = valid6(List.of("fd00:10:244::/48"), 64);
    List<IPAddress> taken = new ArrayList<>();
    SubnetPool.FreeSubnets free = pool.free(Set.of());
    for (int i = 0; i < 20_000; i++) {
      taken.add(free.next().orElseThrow());
    }
    taken.remove(net("fd00:10:244:1234::/64"));
    assertThat(text(pool.firstFree(taken))).isEqualTo("fd00:10:244:1234::/64");
    taken.add(net("fd00:10:244:1234::/64"));
    assertThat(text(pool.firstFree(taken))).isEqualTo("fd00:10:244:4e20::/64");
  }

  @Test
  void anIPv6PoolIsExhaustedOnItsOwn() throws Exception {
    ClusterPools pools = PoolSpecTest.validPools(List.of("10.244.0.0/16", "fd00:10:244::/63"), 24, 64);
    SubnetPool v6 = pools.of(Family.IPv6).orElseThrow();
    List<IPAddress> taken = List.of(net("fd00:10:244::/64"), net("fd00:10:244:1::/64"));
    assertThat(v6.firstFree(taken)).isEmpty();
    // IPv6 subnets taken leave the IPv4 pool untouched, and the other way round.
    assertThat(text(pools.primary().firstFree(taken))).isEqualTo("10.244.0.0/24");
    assertThat(text(v6.firstFree(List.of(net("10.244.0.0/24"))))).isEqualTo("fd00:10:244::/64");
  }

  private static SubnetPool valid6(List<String> ranges, int prefix) {
    return PoolSpecTest.validPools(ranges, 24, prefix).of(Family.IPv6).orElseThrow();
  }
}
