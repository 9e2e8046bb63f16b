package io.plainroute.e2e;

import io.plainroute.testing.Lab;
import java.util.List;

/**
 * Nothing of the lectures' numbers: another LAN (a /26, so the outside host is .62), four nodes,
 * two cluster ranges that are not adjacent, and /26 node subnets.
 */
class OtherTopologyE2E extends LabClusterE2E {

  @Override
  Lab.Topology topology() {
    return new Lab.Topology("172.31.200.64/26", 4, List.of("10.120.0.0/24", "10.121.8.0/25"), 26);
  }
}
