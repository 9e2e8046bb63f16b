package io.plainroute.ipam;

import inet.ipaddr.IPAddress;
import java.util.List;
import java.util.Optional;

/**
 * A cluster's pools, one per family it declares, in the order the families first appear in
 * spec.clusterCIDRs: the first is the primary family (a node's {@code podCIDR}, as
 * {@code Node.spec.podCIDRs[0]} is in Kubernetes).
 */
public record ClusterPools(List<SubnetPool> pools) {
  public ClusterPools {
    pools = List.copyOf(pools);
    if (pools.isEmpty()) {
      throw new IllegalArgumentException("a cluster has at least one pool");
    }
  }

  public SubnetPool primary() {
    return pools.get(0);
  }

  public Optional<SubnetPool> of(Family family) {
    return pools.stream().filter(p -> p.family() == family).findFirst();
  }

  /** The pool of the subnet's family, if it holds the subnet. */
  public boolean holds(IPAddress subnet) {
    return of(Family.of(subnet)).filter(p -> p.holds(subnet)).isPresent();
  }

  public List<Family> families() {
    return pools.stream().map(SubnetPool::family).toList();
  }
}
