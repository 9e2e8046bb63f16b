import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.netlink.EventSubscription;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Convergence with the agents already running (no JVM start): on a lab, creates a Node and times
 * until the route to its pod subnet is in the kernel of every lab node (seen by an rtnetlink
 * listener of its own in each node's namespace), then deletes it and times until that route is
 * gone from every one. Beside the total, the controller's part: until the bench's own watch sees
 * the NodeNetwork with a subnet (join) or gone (leave).
 *
 * <p>Usage: {@code java -cp ... bench/ConvergenceBench.java LAB_STATE_DIR LAB_NAME NODES [N]}
 * as root; {@code make bench-convergence} starts a lab for it.
 */
public class ConvergenceBench {
  private static final int PROTOCOL = 202;
  private static final long TIMEOUT_NANOS = 30_000_000_000L;

  /** When each lab node's kernel first showed a route via a gateway added, and removed, after a given time. */
  static final class Kernel {
    final Map<String, List<long[]>> addedVia = new ConcurrentHashMap<>();
    final Map<String, List<long[]>> removedVia = new ConcurrentHashMap<>();

    void record(NetlinkEvent event) {
      if (event instanceof NetlinkEvent.RouteChanged r && r.route().protocol() == PROTOCOL && r.route().gateway().isPresent()) {
        String gateway = r.route().gateway().get().getHostAddress();
        (r.deleted() ? removedVia : addedVia).computeIfAbsent(gateway, g -> java.util.Collections.synchronizedList(new ArrayList<>()))
            .add(new long[] {System.nanoTime()});
      }
    }

    Optional<Long> firstAfter(Map<String, List<long[]>> seen, String gateway, long since) {
      List<long[]> times = seen.getOrDefault(gateway, List.of());
      synchronized (times) {
        return times.stream().map(t -> t[0]).filter(t -> t >= since).min(Long::compare);
      }
    }
  }

  public static void main(String[] args) throws Exception {
    File state = new File(args[0]);
    String lab = args[1];
    int nodes = Integer.parseInt(args[2]);
    int count = args.length > 3 ? Integer.parseInt(args[3]) : 50;
    List<Kernel> kernels = new ArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    Map<String, Long> allocated = new ConcurrentHashMap<>();
    Map<String, Long> released = new ConcurrentHashMap<>();
    try (KubernetesClient client = new KubernetesClientBuilder()
        .withConfig(Config.fromKubeconfig(new File(state, "kubeconfig"))).build()) {
      for (int i = 1; i <= nodes; i++) {
        NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(String.format("%s-node%02d", lab, i)));
        open.add(handle);
        Kernel kernel = new Kernel();
        kernels.add(kernel);
        open.add(handle.subscribe(kernel::record));
      }
      open.add(client.resources(NodeNetwork.class).watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, NodeNetwork nn) {
          long now = System.nanoTime();
          if (action == Action.DELETED) {
            released.putIfAbsent(nn.getMetadata().getName(), now);
          } else if (nn.getSpec() != null && nn.getSpec().getPodCIDR() != null) {
            allocated.putIfAbsent(nn.getMetadata().getName(), now);
          }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      }));
      int warmup = 3;
      List<double[]> joins = new ArrayList<>();
      List<double[]> leaves = new ArrayList<>();
      for (int i = 0; i < warmup + count; i++) {
        String name = "bench-" + i;
        String ip = "192.168.1." + (100 + i % 100);
        long created = System.nanoTime();
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
            .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress().endStatus().build()).create();
        long routed = everywhere(kernels, k -> k.firstAfter(k.addedVia, ip, created), "the route via " + ip);
        long deleting = System.nanoTime();
        client.nodes().withName(name).delete();
        long gone = everywhere(kernels, k -> k.firstAfter(k.removedVia, ip, deleting), "the removal of the route via " + ip);
        if (i >= warmup) {
          long written = allocated.getOrDefault(name, routed);
          long removed = released.getOrDefault(name, gone);
          joins.add(new double[] {ms(created, routed), ms(created, written), ms(written, routed)});
          leaves.add(new double[] {ms(deleting, gone), ms(deleting, removed), ms(removed, gone)});
        }
        allocated.remove(name);
        released.remove(name);
      }
      System.out.printf("convergence on %d running agents, %d joins and %d leaves (ms):%n", nodes, count, count);
      System.out.printf("  join  (Node created -> route in every node's kernel):               %s%n", summary(joins, 0));
      System.out.printf("        the controller (-> NodeNetwork with a subnet seen by a watch):      %s%n", summary(joins, 1));
      System.out.printf("        the agents (that NodeNetwork seen -> route in every kernel):       %s%n", summary(joins, 2));
      System.out.printf("  leave (Node deleted -> route gone from every kernel):               %s%n", summary(leaves, 0));
      System.out.printf("        the controller (-> NodeNetwork deletion seen by a watch):           %s%n", summary(leaves, 1));
      System.out.printf("        the agents (that deletion seen -> route gone from every kernel):   %s%n", summary(leaves, 2));
      double worst = Math.max(pct(column(joins, 0), 99), pct(column(leaves, 0), 99));
      System.out.printf("  target p99 < 250 ms: %s%n", worst < 250 ? "met" : "MISSED");
    } finally {
      for (AutoCloseable c : reversed(open)) {
        c.close();
      }
    }
    // The client's HTTP threads would keep the JVM, and so the lab, alive.
    System.exit(0);
  }

  private static List<AutoCloseable> reversed(List<AutoCloseable> list) {
    List<AutoCloseable> copy = new ArrayList<>(list);
    java.util.Collections.reverse(copy);
    return copy;
  }

  interface Probe {
    Optional<Long> at(Kernel kernel);
  }

  private static long everywhere(List<Kernel> kernels, Probe probe, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT_NANOS;
    while (System.nanoTime() < deadline) {
      long latest = 0;
      boolean all = true;
      for (Kernel kernel : kernels) {
        Optional<Long> at = probe.at(kernel);
        if (at.isEmpty()) {
          all = false;
          break;
        }
        latest = Math.max(latest, at.get());
      }
      if (all) {
        return latest;
      }
      Thread.sleep(1);
    }
    throw new IllegalStateException(what + " did not reach every node within 30 s");
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  private static double[] column(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(r -> r[i]).sorted().toArray();
  }

  private static String summary(List<double[]> rows, int i) {
    double[] sorted = column(rows, i);
    return String.format("p50 %.1f  p90 %.1f  p99 %.1f  max %.1f", pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
        sorted[sorted.length - 1]);
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }
}
