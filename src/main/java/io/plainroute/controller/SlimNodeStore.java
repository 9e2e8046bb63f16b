package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.stream.Stream;

/**
 * The controller's Node cache, holding of each Node only what allocation reads: name, uid (owner
 * references), labels (nodeSelector), creation time (who is served first), resourceVersion,
 * podCIDR(s) and the Internal/External addresses. A kubelet's Node also carries its image list,
 * conditions, capacity, system info and managed fields, several KiB a node that the controller never
 * looks at; at 5,000 nodes they would be most of its heap.
 *
 * <p>Nodes are slimmed in place as they enter the store, so the informer's update events compare
 * slim with slim and the full object becomes garbage at once.
 */
final class SlimNodeStore implements ItemStore<Node> {
  private final BasicItemStore<Node> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);

  @Override
  public String getKey(Node node) {
    return items.getKey(node);
  }

  @Override
  public Node put(String key, Node node) {
    return items.put(key, slim(node));
  }

  @Override
  public Node remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<Node> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public Node get(String key) {
    return items.get(key);
  }

  /** Drops, in place, everything of {@code node} that allocation does not read. */
  static Node slim(Node node) {
    ObjectMeta full = node.getMetadata();
    ObjectMeta meta = new ObjectMeta();
    meta.setName(full.getName());
    meta.setUid(full.getUid());
    meta.setResourceVersion(full.getResourceVersion());
    meta.setCreationTimestamp(full.getCreationTimestamp());
    meta.setDeletionTimestamp(full.getDeletionTimestamp());
    meta.setLabels(full.getLabels());
    node.setMetadata(meta);
    NodeSpec spec = new NodeSpec();
    if (node.getSpec() != null) {
      spec.setPodCIDR(node.getSpec().getPodCIDR());
      spec.setPodCIDRs(node.getSpec().getPodCIDRs());
    }
    node.setSpec(spec);
    NodeStatus status = new NodeStatus();
    if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
      List<NodeAddress> addresses = node.getStatus().getAddresses().stream()
          .filter(a -> "InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType()))
          .toList();
      status.setAddresses(addresses);
    }
    node.setStatus(status);
    return node;
  }
}
