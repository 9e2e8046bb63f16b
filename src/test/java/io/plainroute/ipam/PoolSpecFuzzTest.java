package io.plainroute.ipam;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A ClusterNetwork spec as a user could write it — any clusterCIDRs, any (or no) node prefix
 * length — judged by {@link PoolSpec}: a pool, or problems naming a field; never an exception,
 * which would leave the ClusterNetwork without a condition. A pool it builds hands out subnets that
 * lie in its ranges, have its prefix length and never overlap.
 */
class PoolSpecFuzzTest {
  private static final int SUBNETS_TAKEN = 8;

  @FuzzTest
  void anySpecGivesAPoolOrProblemsNamingAField(FuzzedDataProvider data) {
    List<String> cidrs = new ArrayList<>();
    int count = data.consumeInt(0, 3);
    for (int i = 0; i < count; i++) {
      cidrs.add(data.consumeBoolean() ? null : data.consumeString(44));
    }
    Integer prefix = data.consumeBoolean() ? null : data.consumeInt();
    Integer prefixIPv6 = data.consumeBoolean() ? null : data.consumeInt();
    PoolSpec.Result result = PoolSpec.validate(count == 0 && data.consumeBoolean() ? null : cidrs, prefix, prefixIPv6);
    if (result instanceof PoolSpec.Invalid invalid) {
      assertThat(invalid.problems()).isNotEmpty()
          .allSatisfy(problem -> assertThat(problem.field()).startsWith("spec."));
      return;
    }
    for (SubnetPool pool : ((PoolSpec.Valid) result).pools().pools()) {
      takeSome(pool);
    }
  }

  private static void takeSome(SubnetPool pool) {
    List<IPAddress> taken = new ArrayList<>();
    SubnetPool.FreeSubnets free = pool.free(taken);
    for (int i = 0; i < SUBNETS_TAKEN; i++) {
      Optional<IPAddress> next = free.next();
      if (next.isEmpty()) {
        break;
      }
      IPAddress subnet = next.get();
      assertThat(subnet.getNetworkPrefixLength()).isEqualTo(pool.subnetPrefixLength());
      assertThat(pool.holds(subnet)).as("%s in %s", subnet, pool.ranges()).isTrue();
      assertThat(taken).as("%s, free in %s (node prefix /%d), after %s", subnet, pool.ranges(), pool.subnetPrefixLength(), taken)
          .noneMatch(other -> other.contains(subnet) || subnet.contains(other));
      free.markTaken(subnet);
      taken.add(subnet);
    }
  }
}
