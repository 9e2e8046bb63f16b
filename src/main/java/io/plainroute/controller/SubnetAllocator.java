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
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * One allocation pass over the whole cluster: release what deleted nodes held, repair what a crash
 * or a lost race left half done, then give every selected node without a subnet the lowest free
 * one. Idempotent, and safe when two instances run it at once: a subnet is first claimed (a create
 * the API server refuses if the name exists), and only then written into a NodeNetwork.
 *
 * <p>The nodes waiting for a subnet are served together: each node's chain of writes (claim,
 * NodeNetwork, Node) runs beside the others' on {@link ParallelWrites}, so a burst of N new nodes
 * costs about three round trips, not 3N. Subnets are still handed out lowest first from one cursor;
 * the API server's refusal of a taken claim remains the only arbiter.
 *
 * <p>Order matters for invariant 1 (no overlap): a NodeNetwork is deleted before its claim, so a
 * subnet is never free while a NodeNetwork still names it; a claim is only deleted when its node is
 * gone or its node's NodeNetwork names another subnet (podCIDR is immutable).
 */
final class SubnetAllocator {
  private static final Logger LOG = Logger.getLogger(SubnetAllocator.class);

  /** Write chains in flight at once: enough to hide round trips, few enough not to swamp the API server. */
  static final int PARALLEL_WRITES = 64;

  private final AllocationStore store;
  private final ParallelWrites writes;
  /** Nodes told (by an Event) that they wait for a subnet: told once a wait, not once a pass. */
  private final Set<String> toldPoolExhausted = ConcurrentHashMap.newKeySet();

  SubnetAllocator(AllocationStore store, ParallelWrites writes) {
    this.store = store;
    this.writes = writes;
  }

  /**
   * @param pool the pool to allocate from; empty when the spec is invalid, in which case nothing is
   *     allocated but deleted nodes are still released and existing subnets are kept
   */
  AllocationOutcome sync(String clusterNetwork, ClusterNetworkSpec spec, Optional<SubnetPool> pool, List<Node> nodes) {
    long start = System.nanoTime();
    Pass pass = new Pass(clusterNetwork, spec, pool, nodes);
    long read = System.nanoTime();
    pass.releaseDeletedNodes();
    pass.repairExisting();
    long repaired = System.nanoTime();
    pool.ifPresent(pass::allocate);
    AllocationOutcome outcome = pass.outcome();
    toldPoolExhausted.retainAll(outcome.pendingNodes());
    LOG.debugf("pass over %d nodes: read in %d ms, repaired in %d ms, %d allocated in %d ms", nodes.size(), (read - start) / 1_000_000,
        (repaired - read) / 1_000_000, pass.allocations.get(), (System.nanoTime() - repaired) / 1_000_000);
    return outcome;
  }

  /**
   * The state of one pass: what was read at its start, updated as it writes. Node chains run on
   * several threads, so what they share is concurrent; a node's own claim list is only touched by
   * its chain.
   */
  private final class Pass {
    private final String clusterNetwork;
    private final ClusterNetworkSpec spec;
    private final Optional<SubnetPool> pool;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, NodeNetwork> nodeNetworks = new ConcurrentHashMap<>();
    private final Map<String, List<SubnetClaim>> claimsByNode = new ConcurrentHashMap<>();
    private final Set<IPv4Address> taken = ConcurrentHashMap.newKeySet();
    private final List<String> pending = Collections.synchronizedList(new ArrayList<>());
    private final List<SpecProblem> problems = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<AllocationOutcome.Release> released = new ArrayList<>();
    private final AtomicInteger allocations = new AtomicInteger();

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
          if (claimsOf(name).isEmpty() && !reclaim(node, nn)) {
            return;
          }
          String nodeIP = NodeAddresses.nodeIP(node).orElse("");
          if (!nodeIP.equals(Objects.requireNonNullElse(nn.getSpec().getNodeIP(), ""))) {
            store.setNodeIP(nn, nodeIP);
            LOG.infof("node %s changed its address to %s", name, nodeIP.isEmpty() ? "<none>" : nodeIP);
            NodeInputProblems.noNodeIP(node, nn.getSpec().getPodCIDR()).ifPresent(message -> report(node, EventType.Warning, NodeInputProblems.NO_NODE_IP, message));
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
      // A node's own podCIDR is kept for it, before any chain takes subnets from the cursor.
      waiting.forEach(node -> ownPodCIDR(pool, node).ifPresent(free::markTaken));
      // Subnets are promised in the nodes' order, oldest first, before any chain runs: when the pool
      // runs short, the newest nodes wait, whichever chain the threads happen to run first.
      Map<String, IPv4Address> promised = new HashMap<>();
      for (Node node : waiting) {
        String name = node.getMetadata().getName();
        if (heldClaim(pool, name).isEmpty() && ownPodCIDR(pool, node).isEmpty()) {
          free.next().ifPresent(subnet -> promised.put(name, subnet));
        }
      }
      SynchronizedFree cursor = new SynchronizedFree(free);
      writes.forEach(waiting, node -> attempt("allocate a subnet to node " + node.getMetadata().getName(),
          () -> allocate(pool, cursor, Optional.ofNullable(promised.get(node.getMetadata().getName())), node)));
    }

    private void allocate(SubnetPool pool, SynchronizedFree free, Optional<IPv4Address> promised, Node node) {
      String name = node.getMetadata().getName();
      Optional<IPv4Address> subnet = heldClaim(pool, name).or(() -> claimFree(pool, free, promised, node));
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
        // The NodeNetwork is the record (kubectl get nodenetworks); an Event would be a 4th write a node.
        LOG.infof("allocated %s to node %s", podCIDR, name);
        allocations.incrementAndGet();
        NodeInputProblems.podCIDRNotUsed(node, pool, taken, podCIDR, clusterNetwork)
            .ifPresent(message -> report(node, EventType.Warning, NodeInputProblems.POD_CIDR_NOT_USED, message));
        NodeInputProblems.noNodeIP(node, podCIDR).ifPresent(message -> report(node, EventType.Warning, NodeInputProblems.NO_NODE_IP, message));
      }
      writeNodePodCIDR(node, podCIDR);
    }

    /** A claim this node already holds: a pass that stopped between claim and NodeNetwork. */
    private Optional<IPv4Address> heldClaim(SubnetPool pool, String node) {
      return claimsOf(node).stream().map(this::subnetOf).flatMap(Optional::stream).filter(pool::holds)
          .min(Comparator.comparingLong(s -> s.getLower().longValue()));
    }

    /**
     * The node's own podCIDR if it can be claimed, else the subnet promised to it, else the next
     * free ones (a promised subnet may have been claimed meanwhile by another controller instance).
     */
    private Optional<IPv4Address> claimFree(SubnetPool pool, SynchronizedFree free, Optional<IPv4Address> promised, Node node) {
      Optional<IPv4Address> own = ownPodCIDR(pool, node);
      Optional<SubnetClaim> ownClaim = own.flatMap(subnet -> store.claim(subnet, node, clusterNetwork));
      if (ownClaim.isPresent()) {
        claimsOf(node.getMetadata().getName()).add(ownClaim.get());
        taken.add(own.get());
        LOG.infof("adopting %s, the podCIDR node %s already has", own.get().toCanonicalString(), node.getMetadata().getName());
        return own;
      }
      for (Optional<IPv4Address> next = promised.or(free::next); next.isPresent(); next = free.next()) {
        taken.add(next.get());
        Optional<SubnetClaim> claim = store.claim(next.get(), node, clusterNetwork);
        if (claim.isPresent()) {
          claimsOf(node.getMetadata().getName()).add(claim.get());
          return next;
        }
      }
      return Optional.empty();
    }

    /** The podCIDR the node already has, if it is one of the pool's subnets and nobody holds it. */
    private Optional<IPv4Address> ownPodCIDR(SubnetPool pool, Node node) {
      return NodeAddresses.podCIDR(node).flatMap(this::parse).filter(pool::holds).filter(s -> !taken.contains(s));
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

    /** A Warning Event on the Node, and the same line in the log. */
    private void report(Node node, EventType type, String reason, String message) {
      LOG.warnf("node %s: %s", node.getMetadata().getName(), message);
      store.recordEvent(node, type, reason, message);
    }

    /**
     * Claims the subnet of a NodeNetwork that has no claim (a pass that stopped half-way, a claim
     * deleted by hand). A NodeNetwork whose subnet overlaps one another node holds by its claim was
     * written by hand (the claim decides): it is deleted and the node gets a free subnet in this
     * very pass, so that no two nodes ever route one address.
     *
     * @return false when the NodeNetwork was deleted
     */
    private boolean reclaim(Node node, NodeNetwork nn) {
      Optional<IPv4Address> subnet = podCIDR(nn);
      if (subnet.isEmpty()) {
        return true;
      }
      Optional<NodeNetwork> holder = nodeNetworks.values().stream()
          .filter(other -> other != nn && podCIDR(other).filter(s -> s.overlaps(subnet.get())).isPresent())
          .filter(other -> claimsOf(other.getMetadata().getName()).stream().anyMatch(c -> c.getSpec().getCidr().equals(other.getSpec().getPodCIDR())))
          .min(Comparator.comparing(other -> other.getMetadata().getName()));
      if (holder.isPresent()) {
        store.deleteNodeNetwork(nn);
        nodeNetworks.remove(node.getMetadata().getName());
        report(node, EventType.Warning, "SubnetClaimedByAnotherNode", "NodeNetwork " + nn.getMetadata().getName() + " named subnet "
            + nn.getSpec().getPodCIDR() + ", which overlaps " + holder.get().getSpec().getPodCIDR() + " held by node "
            + holder.get().getMetadata().getName() + " (SubnetClaim " + Cidrs.objectName(podCIDR(holder.get()).orElseThrow())
            + "); it was deleted and this node gets a free subnet. Only the controller writes NodeNetworks.");
        return false;
      }
      if (store.claim(subnet.get(), node, clusterNetwork).isEmpty()) {
        failures.add("subnet " + nn.getSpec().getPodCIDR() + " of node " + node.getMetadata().getName()
            + " is claimed by another node: delete the SubnetClaim " + Cidrs.objectName(subnet.get()) + " that is wrong");
      }
      return true;
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

    /** The pass's free-subnet cursor, shared by the node chains. */
    private record SynchronizedFree(SubnetPool.FreeSubnets free) {
      Optional<IPv4Address> next() {
        synchronized (free) {
          return free.next();
        }
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
