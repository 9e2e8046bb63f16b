package io.plainroute.e2e;

import io.plainroute.testing.Lab;
import java.util.List;

/**
 * The lectures' cluster made dual-stack, as {@code make demo STACK=dual} shows it: node01-03 at
 * 192.168.1.11-13 and fd00:192:168:1::11-13, cluster ranges 10.244.0.0/16 (primary) and
 * fd00:10:244::/56, a /24 and a /64 per node.
 */
class DualStackE2E extends IpFamiliesClusterE2E {

  @Override
  Lab.Topology topology() {
    return new Lab.Topology("192.168.1.0/24,fd00:192:168:1::/64", 3, List.of("10.244.0.0/16", "fd00:10:244::/56"), 24);
  }

  @Override
  int nodePrefixLengthIPv6() {
    return 64;
  }
}
