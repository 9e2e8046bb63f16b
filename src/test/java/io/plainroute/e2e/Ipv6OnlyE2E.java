package io.plainroute.e2e;

import io.plainroute.testing.Lab;
import java.util.List;

/**
 * An IPv6-only cluster, nothing of the lectures' numbers: the LAN fd00:172:31:200::/64 only,
 * three nodes, two IPv6 ranges that are not adjacent (fd00:10:120::/64, fd00:10:121:8::/72) and
 * /80 node subnets, so that neither the /64 default nor a single range is assumed anywhere.
 */
class Ipv6OnlyE2E extends IpFamiliesClusterE2E {

  @Override
  Lab.Topology topology() {
    return new Lab.Topology("fd00:172:31:200::/64", 3, List.of("fd00:10:120::/64", "fd00:10:121:8::/72"), 24);
  }

  @Override
  int nodePrefixLengthIPv6() {
    return 80;
  }
}
