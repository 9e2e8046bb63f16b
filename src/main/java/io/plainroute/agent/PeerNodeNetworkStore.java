package io.plainroute.agent;

import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.plainroute.api.v1alpha1.NodeNetwork;

/**
 * The agent's cache of NodeNetworks, keeping of each peer only what a pass reads: its metadata
 * and spec. A peer's status (written by its own agent: conditions with messages, unreachable
 * peers) and the managed-fields records of every writer are dropped as objects enter the cache;
 * at 5,000 peers they are most of what the cache would hold (BENCHMARKS.md). The agent's own
 * NodeNetwork is kept whole: its status is what the agent compares and writes.
 *
 * <p>Dropping a peer's status also means a status-only change of a peer reaches the update filter
 * as "nothing changed", which it is for this node's kernel.
 */
final class PeerNodeNetworkStore extends BasicItemStore<NodeNetwork> {
  private final String ownNode;

  PeerNodeNetworkStore(String ownNode) {
    super(Cache::metaNamespaceKeyFunc);
    this.ownNode = ownNode;
  }

  @Override
  public NodeNetwork put(String key, NodeNetwork nodeNetwork) {
    if (!ownNode.equals(nodeNetwork.getMetadata().getName())) {
      nodeNetwork.setStatus(null);
      nodeNetwork.getMetadata().setManagedFields(null);
    }
    return super.put(key, nodeNetwork);
  }
}
