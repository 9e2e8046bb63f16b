import io.plainroute.netlink.EventSubscription;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.netlink.Route;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Drift repaired from the event: in the network namespace of a lab node whose agent runs, deletes
 * one of the agent's peer routes N times and times, with an rtnetlink listener of its own (not the
 * agent's), each deletion seen -> the re-added route seen. Beside it, in the same run, the floor:
 * the same deletions in a scratch namespace where a bare repairer in a process of its own (a
 * listener that re-adds on the deletion's notification through the same netlink layer, nothing
 * else) puts the route back.
 *
 * <p>Usage: {@code java -cp ... bench/DriftBench.java NODE_NAMESPACE [N]} as root; {@code make
 * bench-drift} starts a lab for it.
 */
public class DriftBench {
  private static final int PROTOCOL = 202;
  private static final long TIMEOUT_MS = 5_000;

  record Seen(long nanos, NetlinkEvent.RouteChanged event) {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("--repairer")) {
      repairer(args[1]);
      return;
    }
    String node = args[0];
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int warmup = Math.max(10, count / 10);
    double[] agent;
    try (NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(node))) {
      Route route = handle.routes(PROTOCOL).stream().min(Comparator.comparing(r -> r.destination().toString()))
          .orElseThrow(() -> new IllegalStateException("no route of protocol " + PROTOCOL + " in " + node + ": is its agent running?"));
      agent = deleteAndTime(handle, route, warmup, count);
    }
    double[] floor = floor(warmup, count);
    System.out.printf("drift repair, %d deletions of a peer route, deletion seen -> re-add seen (ms):%n", count);
    System.out.printf("  plainroute agent:                           %s%n", summary(agent));
    System.out.printf("  floor (bare repairer, a process of its own): %s%n", summary(floor));
    System.out.printf("  agent / floor: p50 %.1fx, p99 %.1fx; target p99 < 5 ms: %s%n",
        pct(agent, 50) / pct(floor, 50), pct(agent, 99) / pct(floor, 99), pct(agent, 99) < 5 ? "met" : "MISSED");
  }

  /** Deletes the route count + warmup times through handle, timing each repair by someone else. */
  static double[] deleteAndTime(NetlinkHandle handle, Route route, int warmup, int count) throws Exception {
    BlockingQueue<Seen> events = new LinkedBlockingQueue<>();
    List<Double> samples = new ArrayList<>();
    try (EventSubscription listener = handle.subscribe(e -> {
      if (e instanceof NetlinkEvent.RouteChanged r && r.route().destination().equals(route.destination())) {
        events.add(new Seen(System.nanoTime(), r));
      }
    })) {
      for (int i = 0; i < warmup + count; i++) {
        events.clear();
        handle.deleteRoute(route);
        long deleted = await(events, true).nanos();
        long added = await(events, false).nanos();
        if (i >= warmup) {
          samples.add((added - deleted) / 1e6);
        }
      }
    }
    return samples.stream().mapToDouble(Double::doubleValue).sorted().toArray();
  }

  /**
   * The same in a scratch namespace, repaired by a bare repairer: a process of its own (as the
   * agent is), with a listener that only re-adds, through the same netlink layer.
   */
  static double[] floor(int warmup, int count) throws Exception {
    String namespace = "prbench-drift-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", namespace);
    Process repairer = null;
    try (NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(namespace))) {
      int link = handle.createBridge("eth0").index();
      handle.setLinkUp(link);
      run("ip", "-n", namespace, "addr", "add", "192.168.1.11/24", "dev", "eth0");
      Route route = floorRoute(link);
      handle.addRoute(route);
      repairer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-cp", System.getProperty("java.class.path"), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
          "bench/DriftBench.java", "--repairer", namespace).redirectErrorStream(true).start();
      BufferedReader out = new BufferedReader(new InputStreamReader(repairer.getInputStream()));
      for (String line = out.readLine(); !"ready".equals(line); line = out.readLine()) {
        if (line == null) {
          throw new IllegalStateException("the repairer process ended before it was ready");
        }
      }
      return deleteAndTime(handle, route, warmup, count);
    } finally {
      if (repairer != null) {
        repairer.destroy();
        repairer.waitFor();
      }
      run("ip", "netns", "delete", namespace);
    }
  }

  private static Route floorRoute(int link) {
    return Route.via(Ipv4Prefix.parse("10.244.2.0/24"), Ipv4Prefix.parseAddress("192.168.1.12"), link, PROTOCOL);
  }

  /** The bare repairer's process: re-adds the route on every notification of its deletion. */
  static void repairer(String namespace) throws Exception {
    try (NetlinkHandle repairer = NetlinkHandle.open(NetworkNamespace.named(namespace))) {
      Route route = floorRoute(repairer.link("eth0").orElseThrow().index());
      repairer.subscribe(e -> {
        if (e instanceof NetlinkEvent.RouteChanged r && r.deleted() && r.senderPort() != repairer.portId()) {
          try {
            repairer.addRoute(route);
          } catch (Exception ex) {
            throw new IllegalStateException(ex);
          }
        }
      });
      System.out.println("ready");
      System.out.flush();
      new java.util.concurrent.CountDownLatch(1).await();
    }
  }

  private static Seen await(BlockingQueue<Seen> events, boolean deleted) throws InterruptedException {
    while (true) {
      Seen seen = events.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      if (seen == null) {
        throw new IllegalStateException("no " + (deleted ? "deletion" : "re-add") + " seen within " + TIMEOUT_MS + " ms");
      }
      if (seen.event().deleted() == deleted && (deleted || seen.event().route().protocol() == PROTOCOL)) {
        return seen;
      }
    }
  }

  private static String summary(double[] sorted) {
    return String.format("p50 %.3f  p90 %.3f  p99 %.3f  max %.3f", pct(sorted, 50), pct(sorted, 90), pct(sorted, 99),
        sorted[sorted.length - 1]);
  }

  private static double pct(double[] sorted, int p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  private static void run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed");
    }
  }
}
