package io.plainroute.controller;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.controller.AllocationStore.EventType;
import io.plainroute.ipam.Cidrs;
import io.plainroute.ipam.ClusterPools;
import io.plainroute.ipam.Family;
import io.plainroute.ipam.SpecProblem;
import io.plainroute.ipam.SubnetPool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
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
 * <p>Each family of the ClusterNetwork (IPv4, IPv6) has its own pool, and a node gets one subnet of
 * each, claimed separately: a family exhausted leaves the node waiting for that family only. A
 * NodeNetwork is created once the node has a subnet of the primary family; a family the cluster
 * gains later is appended to every existing NodeNetwork's lists, which never moves a subnet.
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
  /** Nodes told (by an Event) that they wait for a subnet of a family ("node/IPv6"): told once a wait, not once a pass. */
  private final Set<String> toldPoolExhausted = ConcurrentHashMap.newKeySet();

  SubnetAllocator(AllocationStore store, ParallelWrites writes) {
    this.store = store;
    this.writes = writes;
  }

  /**
   * @param pools the pools to allocate from; empty when the spec is invalid, in which case nothing
   *     is allocated but deleted nodes are still released and existing subnets are kept
   */
  AllocationOutcome sync(String clusterNetwork, ClusterNetworkSpec spec, Optional<ClusterPools> pools, List<Node> nodes) {
    long start = System.nanoTime();
    Pass pass = new Pass(clusterNetwork, spec, pools, nodes);
    long read = System.nanoTime();
    pass.releaseDeletedNodes();
    pass.repairExisting();
    long repaired = System.nanoTime();
    pools.ifPresent(pass::allocate);
    AllocationOutcome outcome = pass.outcome();
    toldPoolExhausted.retainAll(pass.waitingKeys());
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
    private final Optional<ClusterPools> pools;
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<String, NodeNetwork> nodeNetworks = new ConcurrentHashMap<>();
    private final Map<String, List<SubnetClaim>> claimsByNode = new ConcurrentHashMap<>();
    private final Set<IPAddress> taken = ConcurrentHashMap.newKeySet();
    private final Map<Family, List<String>> pending = new ConcurrentHashMap<>();
    private final List<SpecProblem> problems = new ArrayList<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<AllocationOutcome.Release> released = new ArrayList<>();
    private final AtomicInteger allocations = new AtomicInteger();

    Pass(String clusterNetwork, ClusterNetworkSpec spec, Optional<ClusterPools> pools, List<Node> nodeList) {
      this.clusterNetwork = clusterNetwork;
      this.spec = spec;
      this.pools = pools;
      nodeList.forEach(n -> nodes.put(n.getMetadata().getName(), n));
      store.listNodeNetworks().forEach(nn -> nodeNetworks.put(nn.getMetadata().getName(), nn));
      for (SubnetClaim claim : store.listClaims()) {
        claimsByNode.computeIfAbsent(claim.getSpec().getNodeName(), k -> new ArrayList<>()).add(claim);
        subnetOf(claim).ifPresent(taken::add);
      }
      nodeNetworks.values().forEach(nn -> taken.addAll(subnets(nn)));
    }

    void releaseDeletedNodes() {
      for (NodeNetwork nn : List.copyOf(nodeNetworks.values())) {
        String node = nn.getMetadata().getName();
        if (isGone(node)) {
          attempt("release the subnet of deleted node " + node, () -> {
            store.deleteNodeNetwork(nn);
            nodeNetworks.remove(node);
            String held = String.join(" and ", nn.getSpec().allPodCIDRs());
            released.add(new AllocationOutcome.Release(node, held));
            LOG.infof("released %s of deleted node %s", held, node);
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
      for (NodeNetwork nn : List.copyOf(nodeNetworks.values())) {
        Node node = nodes.get(nn.getMetadata().getName());
        if (node == null) {
          continue;
        }
        String name = node.getMetadata().getName();
        attempt("repair the subnets of node " + name, () -> {
          List<IPAddress> subnets = subnets(nn);
          dropClaimsOtherThan(name, subnets);
          for (IPAddress subnet : subnets) {
            if (claimsOf(name).stream().noneMatch(c -> c.getSpec().getCidr().equals(subnet.toCanonicalString()))) {
              reclaim(node, subnet);
            }
          }
          NodeNetwork current = updateAddresses(node, nn, subnets);
          writeNodePodCIDRs(node, current);
        });
      }
    }

    /**
     * Writes the node's address of each family and the lists (added to NodeNetworks written before
     * they existed) when they differ from what the Node and the subnets say. The gateway lists keep
     * the primary gateway as it is: putting back an edited gateway is {@link OwnedSpecFields}' job.
     */
    private NodeNetwork updateAddresses(Node node, NodeNetwork nn, List<IPAddress> subnets) {
      NodeNetworkSpec now = nn.getSpec();
      NodeNetworkSpec wanted = wantedSpec(node, subnets, now.getGateway());
      if (Objects.equals(wanted.getPodCIDRs(), now.getPodCIDRs()) && Objects.equals(wanted.getGateways(), now.getGateways())
          && Objects.equals(wanted.getNodeIPs(), now.getNodeIPs()) && wanted.getNodeIP().equals(Objects.requireNonNullElse(now.getNodeIP(), ""))) {
        return nn;
      }
      NodeNetwork updated = store.updateAddresses(nn, wanted);
      nodeNetworks.put(node.getMetadata().getName(), updated);
      if (!wanted.getNodeIPs().equals(now.allNodeIPs())) {
        LOG.infof("node %s: node addresses %s", node.getMetadata().getName(), wanted.getNodeIPs());
      }
      return updated;
    }

    /** The spec a node with these subnets has: gateways the subnets' first addresses, node addresses of their families. */
    private NodeNetworkSpec wantedSpec(Node node, List<IPAddress> subnets, String primaryGateway) {
      List<String> gateways = new ArrayList<>(subnets.stream().map(s -> Cidrs.gateway(s).toCanonicalString()).toList());
      if (primaryGateway != null) {
        gateways.set(0, primaryGateway);
      }
      return new NodeNetworkSpec(node.getMetadata().getName(),
          subnets.stream().map(IPAddress::toCanonicalString).toList(),
          gateways,
          subnets.stream().map(s -> NodeAddresses.nodeIP(node, Family.of(s)).orElse("")).toList());
    }

    void allocate(ClusterPools pools) {
      pools.pools().forEach(this::reserveSubnetsOfNodeAddresses);
      // A node waits when it lacks a family: new selected nodes lack all, existing ones a family the cluster gained.
      List<Node> waiting = nodes.values().stream()
          .filter(n -> nodeNetworks.containsKey(n.getMetadata().getName()) || selected(n))
          .filter(n -> !missingFamilies(pools, n).isEmpty())
          .sorted(Comparator.comparing((Node n) -> n.getMetadata().getCreationTimestamp(), Comparator.nullsLast(Comparator.naturalOrder()))
              .thenComparing(n -> n.getMetadata().getName()))
          .toList();
      Map<Family, SynchronizedFree> cursors = new LinkedHashMap<>();
      Map<String, Map<Family, IPAddress>> promised = new HashMap<>();
      for (SubnetPool pool : pools.pools()) {
        SubnetPool.FreeSubnets free = pool.free(taken);
        List<Node> lacking = waiting.stream().filter(n -> missingFamilies(pools, n).contains(pool.family())).toList();
        // A node's own podCIDR is kept for it, before any chain takes subnets from the cursor.
        lacking.forEach(node -> ownPodCIDR(pool, node).ifPresent(free::markTaken));
        // Subnets are promised in the nodes' order, oldest first, before any chain runs: when the pool
        // runs short, the newest nodes wait, whichever chain the threads happen to run first.
        for (Node node : lacking) {
          String name = node.getMetadata().getName();
          if (heldClaim(pool, name).isEmpty() && ownPodCIDR(pool, node).isEmpty()) {
            free.next().ifPresent(subnet -> promised.computeIfAbsent(name, k -> new HashMap<>()).put(pool.family(), subnet));
          }
        }
        cursors.put(pool.family(), new SynchronizedFree(free));
      }
      writes.forEach(waiting, node -> attempt("allocate a subnet to node " + node.getMetadata().getName(),
          () -> allocate(pools, cursors, promised.getOrDefault(node.getMetadata().getName(), Map.of()), node)));
    }

    private void allocate(ClusterPools pools, Map<Family, SynchronizedFree> cursors, Map<Family, IPAddress> promised, Node node) {
      String name = node.getMetadata().getName();
      Map<Family, IPAddress> got = new LinkedHashMap<>();
      for (SubnetPool pool : pools.pools()) {
        if (!missingFamilies(pools, node).contains(pool.family())) {
          continue;
        }
        Optional<IPAddress> subnet = heldClaim(pool, name)
            .or(() -> claimFree(pool, cursors.get(pool.family()), Optional.ofNullable(promised.get(pool.family())), node));
        if (subnet.isPresent()) {
          got.put(pool.family(), subnet.get());
        } else {
          waitFor(node, pool.family());
        }
      }
      NodeNetwork existing = nodeNetworks.get(name);
      if (existing != null) {
        if (!got.isEmpty()) {
          List<IPAddress> subnets = new ArrayList<>(subnets(existing));
          subnets.addAll(got.values());
          writeNodePodCIDRs(node, updateAddresses(node, existing, subnets));
          LOG.infof("allocated %s to node %s", got.values().stream().map(IPAddress::toCanonicalString).collect(Collectors.joining(",")), name);
          allocations.incrementAndGet();
        }
        return;
      }
      if (!got.containsKey(pools.primary().family())) {
        return; // the NodeNetwork needs the primary subnet first; claims of other families wait with the node
      }
      List<IPAddress> subnets = List.copyOf(got.values());
      NodeNetworkSpec wanted = wantedSpec(node, subnets, null);
      AllocationStore.Created<NodeNetwork> written = store.createNodeNetwork(node, wanted, clusterNetwork);
      NodeNetwork actual = written.object();
      nodeNetworks.put(name, actual);
      if (!wanted.getPodCIDR().equals(actual.getSpec().getPodCIDR())) {
        // Another instance gave this node a subnet first: ours goes back to the pool.
        dropClaimsOtherThan(name, subnets(actual));
        return;
      }
      if (written.byUs()) {
        // The NodeNetwork is the record (kubectl get nodenetworks); an Event would be a 4th write a node.
        LOG.infof("allocated %s to node %s", String.join(",", wanted.getPodCIDRs()), name);
        allocations.incrementAndGet();
      }
      writeNodePodCIDRs(node, actual);
    }

    private void waitFor(Node node, Family family) {
      String name = node.getMetadata().getName();
      pending.computeIfAbsent(family, f -> Collections.synchronizedList(new ArrayList<>())).add(name);
      if (toldPoolExhausted.add(name + "/" + family)) {
        LOG.warnf("no free %s subnet for node %s: ClusterNetwork %s is exhausted", family, name, clusterNetwork);
        store.recordEvent(node, EventType.Warning, "SubnetPoolExhausted", "No free " + family + " pod subnet in ClusterNetwork "
            + clusterNetwork + ": append an " + family + " range to its spec.clusterCIDRs or delete nodes that are gone. "
            + (family == pools.orElseThrow().primary().family()
                ? "Pods cannot start on this node until then."
                : "Pods on this node get no " + family + " address until then."));
      }
    }

    /** The families of the pools that the node has no subnet of yet (all of them when it has no NodeNetwork). */
    private Set<Family> missingFamilies(ClusterPools pools, Node node) {
      NodeNetwork nn = nodeNetworks.get(node.getMetadata().getName());
      Set<Family> missing = new LinkedHashSet<>(pools.families());
      if (nn != null) {
        subnets(nn).forEach(s -> missing.remove(Family.of(s)));
      }
      return missing;
    }

    /** A claim this node already holds: a pass that stopped between claim and NodeNetwork. */
    private Optional<IPAddress> heldClaim(SubnetPool pool, String node) {
      return claimsOf(node).stream().map(this::subnetOf).flatMap(Optional::stream).filter(pool::holds)
          .min(Comparator.comparing(s -> s.getLower().getValue()));
    }

    /**
     * The node's own podCIDR of the pool's family if it can be claimed, else the subnet promised to
     * it, else the next free ones (a promised subnet may have been claimed meanwhile by another
     * controller instance).
     */
    private Optional<IPAddress> claimFree(SubnetPool pool, SynchronizedFree free, Optional<IPAddress> promised, Node node) {
      Optional<IPAddress> own = ownPodCIDR(pool, node);
      Optional<SubnetClaim> ownClaim = own.flatMap(subnet -> store.claim(subnet, node, clusterNetwork));
      if (ownClaim.isPresent()) {
        claimsOf(node.getMetadata().getName()).add(ownClaim.get());
        taken.add(own.get());
        LOG.infof("adopting %s, the podCIDR node %s already has", own.get().toCanonicalString(), node.getMetadata().getName());
        return own;
      }
      for (Optional<IPAddress> next = promised.or(free::next); next.isPresent(); next = free.next()) {
        taken.add(next.get());
        Optional<SubnetClaim> claim = store.claim(next.get(), node, clusterNetwork);
        if (claim.isPresent()) {
          claimsOf(node.getMetadata().getName()).add(claim.get());
          return next;
        }
      }
      return Optional.empty();
    }

    /** The podCIDR of the pool's family the node already has, if it is one of the pool's subnets and nobody holds it. */
    private Optional<IPAddress> ownPodCIDR(SubnetPool pool, Node node) {
      return NodeAddresses.podCIDRs(node).stream().map(Cidrs::network).flatMap(Optional::stream)
          .filter(pool::holds).filter(s -> !taken.contains(s)).findFirst();
    }

    private void reserveSubnetsOfNodeAddresses(SubnetPool pool) {
      for (Node node : nodes.values()) {
        Optional<IPAddress> address = NodeAddresses.nodeIP(node, pool.family()).flatMap(Cidrs::parseAddress);
        Optional<IPAddress> range = address.flatMap(pool::rangeContaining);
        if (range.isPresent()) {
          pool.subnetContaining(address.get()).ifPresent(taken::add);
          int index = spec.getClusterCIDRs().indexOf(range.get().toCanonicalString());
          problems.add(new SpecProblem("spec.clusterCIDRs[" + index + "]",
              range.get().toCanonicalString() + " contains the address " + address.get() + " of node "
                  + node.getMetadata().getName() + "; pod routes would shadow node addresses: use a range no node address lies in"));
        }
      }
    }

    private void reclaim(Node node, IPAddress subnet) {
      if (store.claim(subnet, node, clusterNetwork).isEmpty()) {
        failures.add("subnet " + subnet.toCanonicalString() + " of node " + node.getMetadata().getName()
            + " is claimed by another node: delete the SubnetClaim " + Cidrs.objectName(subnet) + " that is wrong");
      }
    }

    /**
     * Releases the node's claims of a family its NodeNetwork holds another subnet of. Claims of a
     * family it holds none of stay: a pass that stopped before appending that family uses them.
     */
    private void dropClaimsOtherThan(String node, List<IPAddress> held) {
      Set<Family> families = new HashSet<>();
      held.forEach(s -> families.add(Family.of(s)));
      for (SubnetClaim claim : List.copyOf(claimsOf(node))) {
        Optional<IPAddress> subnet = subnetOf(claim);
        if (subnet.isEmpty() || families.contains(Family.of(subnet.get())) && !held.contains(subnet.get())) {
          store.release(claim);
          claimsOf(node).remove(claim);
        }
      }
    }

    /**
     * Node.spec.podCIDR(s), in the NodeNetwork's order (the cluster's family order), when the Node
     * has none and the NodeNetwork holds every family: Kubernetes lets them be set once.
     */
    private void writeNodePodCIDRs(Node node, NodeNetwork nn) {
      boolean complete = pools.map(p -> missingFamilies(p, node).isEmpty()).orElse(true);
      if (Boolean.TRUE.equals(spec.getWriteNodePodCIDR()) && NodeAddresses.podCIDR(node).isEmpty() && complete) {
        store.setNodePodCIDRs(node, nn.getSpec().allPodCIDRs());
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

    private boolean heldByNodeNetwork(IPAddress subnet) {
      return nodeNetworks.values().stream().anyMatch(nn -> subnets(nn).contains(subnet));
    }

    private List<SubnetClaim> claimsOf(String node) {
      return claimsByNode.computeIfAbsent(node, k -> new ArrayList<>());
    }

    private Optional<IPAddress> subnetOf(SubnetClaim claim) {
      return Cidrs.network(claim.getSpec().getCidr());
    }

    /** The NodeNetwork's subnets, primary first (those the API server let in parse). */
    private List<IPAddress> subnets(NodeNetwork nn) {
      return nn.getSpec() == null ? List.of()
          : nn.getSpec().allPodCIDRs().stream().map(Cidrs::network).flatMap(Optional::stream).toList();
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

    /** "node/IPv6" for every node waiting for a family. */
    Set<String> waitingKeys() {
      Set<String> keys = new HashSet<>();
      pending.forEach((family, names) -> names.forEach(n -> keys.add(n + "/" + family)));
      return keys;
    }

    /** The pass's free-subnet cursor of one family, shared by the node chains. */
    private record SynchronizedFree(SubnetPool.FreeSubnets free) {
      Optional<IPAddress> next() {
        synchronized (free) {
          return free.next();
        }
      }
    }

    AllocationOutcome outcome() {
      Set<IPAddress> held = new HashSet<>();
      nodeNetworks.values().forEach(nn -> held.addAll(subnets(nn)));
      List<AllocationOutcome.FamilyOutcome> families = pools.map(ClusterPools::pools).orElse(List.of()).stream()
          .map(pool -> new AllocationOutcome.FamilyOutcome(pool.family(), pool.capacity(), pool.countHeld(held),
              SubnetPool.clamp(pool.exactCapacity().subtract(java.math.BigInteger.valueOf(pool.countHeld(taken)))),
              List.copyOf(pending.getOrDefault(pool.family(), List.of()))))
          .toList();
      return new AllocationOutcome(families, List.copyOf(problems), List.copyOf(failures),
          List.copyOf(nodeNetworks.values()), List.copyOf(released));
    }
  }
}
