package io.plainroute.controller;

import inet.ipaddr.ipv4.IPv4Address;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.controller.AllocationStore.EventType;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.SpecProblem;
import io.plainroute.ipam.SubnetPool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;

/**
 * One allocation pass over the whole cluster: release what deleted nodes held, repair what a crash
 * or a lost race left half done, then give every selected node without a subnet the lowest free
 * one. Idempotent, and safe when two instances run it at once: a subnet is first claimed (a create
 * the API server refuses if the name exists), and only then written into a NodeNetwork.
 *
 * <p>Order matters for invariant 1 (no overlap): a NodeNetwork is deleted before its claim, so a
 * subnet is never free while a NodeNetwork still names it; a claim is only deleted when its node is
 * gone or its node's NodeNetwork names another subnet (podCIDR is immutable).
 */
final class SubnetAllocator {
  private static final Logger LOG = Logger.getLogger(SubnetAllocator.class);

  private final AllocationStore store;
  /** Nodes told (by an Event) that they wait for a subnet: told once a wait, not once a pass. */
  private final Set<String> toldPoolExhausted = ConcurrentHashMap.newKeySet();

  SubnetAllocator(AllocationStore store) {
    this.store = store;
  }

  /**
   * @param pool the pool to allocate from; empty when the spec is invalid, in which case nothing is
   *     allocated but deleted nodes are still released and existing subnets are kept
   */
  AllocationOutcome sync(String clusterNetwork, ClusterNetworkSpec spec, Optional<SubnetPool> pool, List<Node> nodes) {
    Pass pass = new Pass(clusterNetwork, spec, pool, nodes);
    pass.releaseDeletedNodes();
    pass.repairExisting();
    pool.ifPresent(pass::allocate);
    AllocationOutcome outcome = pass.outcome();
    toldPoolExhausted.retainAll(outcome.pendingNodes());
    return outcome;
  }

  /** The state of one pass: what was read at its start, updated as it writes. */
  private final class Pass {
    private final String clusterNetwork;
    private final ClusterNetworkSpec spec;
    private final Optional<SubnetPool> pool;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, NodeNetwork> nodeNetworks = new HashMap<>();
    private final Map<String, List<SubnetClaim>> claimsByNode = new HashMap<>();
    private final Set<IPv4Address> taken = new HashSet<>();
    private final List<String> pending = new ArrayList<>();
    private final List<SpecProblem> problems = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<AllocationOutcome.Release> released = new ArrayList<>();

    Pass(String clusterNetwork, ClusterNetworkSpec spec, Optional<SubnetPool> pool, List<Node> nodeList) {
      this.clusterNetwork = clusterNetwork;
      this.spec = spec;
      this.pool = pool;
      nodeList.forEach(n -> nodes.put(n.getMetadata().getName(), n));
      store.listNodeNetworks().forEach(nn -> nodeNetworks.put(nn.getMetadata().getName(), nn));
      for (SubnetClaim claim : store.listClaims()) {
        claimsByNode.computeIfAbsent(claim.getSpec().getNodeName(), k -> new ArrayList<>()).add(claim);
        subnetOf(claim).ifPresent(taken::add);
      }
      nodeNetworks.values().forEach(nn -> podCIDR(nn).ifPresent(taken::add));
    }

    void releaseDeletedNodes() {
      for (NodeNetwork nn : List.copyOf(nodeNetworks.values())) {
        String node = nn.getMetadata().getName();
        if (isGone(node)) {
          attempt("release the subnet of deleted node " + node, () -> {
            store.deleteNodeNetwork(nn);
            nodeNetworks.remove(node);
            released.add(new AllocationOutcome.Release(node, nn.getSpec().getPodCIDR()));
            LOG.infof("released %s of deleted node %s", nn.getSpec().getPodCIDR(), node);
          });
        }
      }
      for (String node : List.copyOf(claimsByNode.keySet())) {
        if (!nodeNetworks.containsKey(node) && isGone(node)) {
          for (SubnetClaim claim : claimsByNode.remove(node)) {
            attempt("release claim " + claim.getMetadata().getName(), () -> {
              store.release(claim);
              subnetOf(claim).filter(s -> !heldByNodeNetwork(s)).ifPresent(taken::remove);
            });
          }
        }
      }
    }

    void repairExisting() {
      for (NodeNetwork nn : nodeNetworks.values()) {
        Node node = nodes.get(nn.getMetadata().getName());
        if (node == null) {
          continue;
        }
        String name = node.getMetadata().getName();
        attempt("repair the subnet of node " + name, () -> {
          dropClaimsOtherThan(name, nn.getSpec().getPodCIDR());
          if (claimsOf(name).isEmpty()) {
            reclaim(node, nn);
          }
          String nodeIP = NodeAddresses.nodeIP(node).orElse("");
          if (!nodeIP.equals(Objects.requireNonNullElse(nn.getSpec().getNodeIP(), ""))) {
            store.setNodeIP(nn, nodeIP);
            LOG.infof("node %s changed its address to %s", name, nodeIP.isEmpty() ? "<none>" : nodeIP);
          }
          writeNodePodCIDR(node, nn.getSpec().getPodCIDR());
        });
      }
    }

    void allocate(SubnetPool pool) {
      reserveSubnetsOfNodeAddresses(pool);
      SubnetPool.FreeSubnets free = pool.free(taken);
      List<Node> waiting = nodes.values().stream()
          .filter(n -> !nodeNetworks.containsKey(n.getMetadata().getName()))
          .filter(this::selected)
          .sorted(Comparator.comparing((Node n) -> n.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(n -> n.getMetadata().getName()))
          .toList();
      for (Node node : waiting) {
        attempt("allocate a subnet to node " + node.getMetadata().getName(), () -> allocate(pool, free, node));
      }
    }

    private void allocate(SubnetPool pool, SubnetPool.FreeSubnets free, Node node) {
      String name = node.getMetadata().getName();
      Optional<IPv4Address> subnet = heldClaim(pool, name).or(() -> claimFree(pool, free, node));
      if (subnet.isEmpty()) {
        pending.add(name);
        if (toldPoolExhausted.add(name)) {
          LOG.warnf("no free subnet for node %s: ClusterNetwork %s is exhausted", name, clusterNetwork);
          store.recordEvent(node, EventType.Warning, "SubnetPoolExhausted", "No free pod subnet in ClusterNetwork " + clusterNetwork
              + ": append a range to its spec.clusterCIDRs or delete nodes that are gone. Pods cannot start on this node until then.");
        }
        return;
      }
      String podCIDR = subnet.get().toCanonicalString();
      NodeNetworkSpec wanted = new NodeNetworkSpec(
          name, podCIDR, Cidrs.gateway(subnet.get()).toCanonicalString(), NodeAddresses.nodeIP(node).orElse(""));
      AllocationStore.Created<NodeNetwork> written = store.createNodeNetwork(node, wanted, clusterNetwork);
      NodeNetwork actual = written.object();
      nodeNetworks.put(name, actual);
      if (!podCIDR.equals(actual.getSpec().getPodCIDR())) {
        // Another instance gave this node a subnet first: ours goes back to the pool.
        dropClaimsOtherThan(name, actual.getSpec().getPodCIDR());
        return;
      }
      if (written.byUs()) {
        LOG.infof("allocated %s to node %s", podCIDR, name);
        store.recordEvent(node, EventType.Normal, "SubnetAllocated", "Pod subnet " + podCIDR + " allocated from ClusterNetwork " + clusterNetwork + ".");
      }
      writeNodePodCIDR(node, podCIDR);
    }

    /** A claim this node already holds: a pass that stopped between claim and NodeNetwork. */
    private Optional<IPv4Address> heldClaim(SubnetPool pool, String node) {
      return claimsOf(node).stream().map(this::subnetOf).flatMap(Optional::stream).filter(pool::holds)
          .min(Comparator.comparingLong(s -> s.getLower().longValue()));
    }

    private Optional<IPv4Address> claimFree(SubnetPool pool, SubnetPool.FreeSubnets free, Node node) {
      Optional<IPv4Address> own = NodeAddresses.podCIDR(node).flatMap(this::parse)
          .filter(pool::holds).filter(s -> !taken.contains(s));
      Optional<SubnetClaim> ownClaim = own.flatMap(subnet -> store.claim(subnet, node, clusterNetwork));
      if (ownClaim.isPresent()) {
        claimsOf(node.getMetadata().getName()).add(ownClaim.get());
        free.markTaken(own.get());
        taken.add(own.get());
        LOG.infof("adopting %s, the podCIDR node %s already has", own.get().toCanonicalString(), node.getMetadata().getName());
        return own;
      }
      own.ifPresent(free::markTaken);
      for (Optional<IPv4Address> next = free.next(); next.isPresent(); next = free.next()) {
        taken.add(next.get());
        Optional<SubnetClaim> claim = store.claim(next.get(), node, clusterNetwork);
        if (claim.isPresent()) {
          claimsOf(node.getMetadata().getName()).add(claim.get());
          return next;
        }
      }
      return Optional.empty();
    }

    private void reserveSubnetsOfNodeAddresses(SubnetPool pool) {
      for (Node node : nodes.values()) {
        Optional<IPv4Address> address = NodeAddresses.nodeIP(node).flatMap(Cidrs::parseAddress);
        Optional<IPv4Address> range = address.flatMap(pool::rangeContaining);
        if (range.isPresent()) {
          pool.subnetContaining(address.get()).ifPresent(taken::add);
          int index = pool.ranges().indexOf(range.get());
          problems.add(new SpecProblem("spec.clusterCIDRs[" + index + "]",
              range.get().toCanonicalString() + " contains the address " + address.get() + " of node "
                  + node.getMetadata().getName() + "; pod routes would shadow node addresses: use a range no node address lies in"));
        }
      }
    }

    private void reclaim(Node node, NodeNetwork nn) {
      Optional<IPv4Address> subnet = podCIDR(nn);
      if (subnet.isPresent() && store.claim(subnet.get(), node, clusterNetwork).isEmpty()) {
        failures.add("subnet " + nn.getSpec().getPodCIDR() + " of node " + node.getMetadata().getName()
            + " is claimed by another node: delete the SubnetClaim " + Cidrs.objectName(subnet.get()) + " that is wrong");
      }
    }

    private void dropClaimsOtherThan(String node, String podCIDR) {
      for (SubnetClaim claim : List.copyOf(claimsOf(node))) {
        if (!claim.getSpec().getCidr().equals(podCIDR)) {
          store.release(claim);
          claimsOf(node).remove(claim);
        }
      }
    }

    private void writeNodePodCIDR(Node node, String podCIDR) {
      if (Boolean.TRUE.equals(spec.getWriteNodePodCIDR()) && NodeAddresses.podCIDR(node).isEmpty()) {
        store.setNodePodCIDR(node, podCIDR);
      }
    }

    private boolean isGone(String node) {
      return !nodes.containsKey(node) && !store.nodeExists(node);
    }

    private boolean selected(Node node) {
      Map<String, String> selector = spec.getNodeSelector();
      if (selector == null || selector.isEmpty()) {
        return true;
      }
      Map<String, String> labels = Objects.requireNonNullElse(node.getMetadata().getLabels(), Map.of());
      return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
    }

    private boolean heldByNodeNetwork(IPv4Address subnet) {
      return nodeNetworks.values().stream().anyMatch(nn -> podCIDR(nn).filter(subnet::equals).isPresent());
    }

    private List<SubnetClaim> claimsOf(String node) {
      return claimsByNode.computeIfAbsent(node, k -> new ArrayList<>());
    }

    private Optional<IPv4Address> subnetOf(SubnetClaim claim) {
      return parse(claim.getSpec().getCidr());
    }

    private Optional<IPv4Address> podCIDR(NodeNetwork nn) {
      return parse(nn.getSpec().getPodCIDR());
    }

    private Optional<IPv4Address> parse(String cidr) {
      try {
        return Optional.of(Cidrs.parseNetwork(cidr));
      } catch (Cidrs.InvalidCidrException e) {
        return Optional.empty();
      }
    }

    private void attempt(String what, Runnable action) {
      try {
        action.run();
      } catch (KubernetesClientException e) {
        String failure = "could not " + what + ": " + e.getMessage();
        failures.add(failure);
        LOG.warn(failure);
      }
    }

    AllocationOutcome outcome() {
      long capacity = pool.map(SubnetPool::capacity).orElse(0L);
      Set<IPv4Address> held = new HashSet<>();
      nodeNetworks.values().forEach(nn -> podCIDR(nn).ifPresent(held::add));
      long allocated = pool.map(p -> p.countHeld(held)).orElse(0L);
      long used = pool.map(p -> p.countHeld(taken)).orElse(0L);
      return new AllocationOutcome(capacity, allocated, capacity - used, List.copyOf(pending), List.copyOf(problems), List.copyOf(failures),
          List.copyOf(nodeNetworks.values()), List.copyOf(released));
    }
  }
}
