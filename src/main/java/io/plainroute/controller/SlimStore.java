package io.plainroute.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer cache that keeps of each object only what the controller reads. Objects are slimmed
 * in place as they enter the store, so the informer's update events compare slim with slim and
 * the dropped parts become garbage at once.
 *
 * <ul>
 *   <li>{@link #nodes()}: name, uid (owner references), labels (nodeSelector), creation time (who is
 *       served first), resourceVersion, podCIDR(s) and the Internal/External addresses. A kubelet's
 *       Node also carries its image list, conditions, capacity, system info and managed fields,
 *       several KiB a node that the controller never looks at.
 *   <li>{@link #withoutManagedFields()}: everything but {@code metadata.managedFields}, which fabric8
 *       parses into a tree of maps per object (the largest part of the heap at 5,000 NodeNetworks
 *       and SubnetClaims, by the heap histogram in BENCHMARKS.md).
 * </ul>
 */
final class SlimStore<T extends HasMetadata> implements ItemStore<T> {
  private final BasicItemStore<T> items = new BasicItemStore<>(Cache::metaNamespaceKeyFunc);
  private final UnaryOperator<T> slim;

  private SlimStore(UnaryOperator<T> slim) {
    this.slim = slim;
  }

  static SlimStore<Node> nodes() {
    return new SlimStore<>(SlimStore::slimNode);
  }

  static <T extends HasMetadata> SlimStore<T> withoutManagedFields() {
    return new SlimStore<>(item -> {
      item.getMetadata().setManagedFields(null);
      return item;
    });
  }

  @Override
  public String getKey(T item) {
    return items.getKey(item);
  }

  @Override
  public T put(String key, T item) {
    return items.put(key, slim.apply(item));
  }

  @Override
  public T remove(String key) {
    return items.remove(key);
  }

  @Override
  public Stream<String> keySet() {
    return items.keySet();
  }

  @Override
  public Stream<T> values() {
    return items.values();
  }

  @Override
  public int size() {
    return items.size();
  }

  @Override
  public T get(String key) {
    return items.get(key);
  }

  /** Drops, in place, everything of {@code node} that allocation does not read. */
  private static Node slimNode(Node node) {
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
