import io.plainroute.netlink.Address;
import io.plainroute.netlink.EventSubscription;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netlink.NetlinkEvent;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.Route;
import io.plainroute.netlink.RouteChange;
import io.plainroute.netns.NetworkNamespace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Route programming, three clients side by side in one run, in a scratch network namespace of its
 * own (needs root): plainroute's {@code NetlinkHandle.applyRoutes} and {@code routes(proto)}, the
 * C floor {@code bench/route_floor.c} (the least a client can do: routes packed into 64 KiB
 * datagrams with only a final acknowledgement, so nearly all the time is the kernel's own), and
 * {@code ip -batch}. Route i is {@code 10.128.0.0/24 + i*256 via 10.96.0.2 + i dev br0 proto 200}:
 * one on-link gateway per route, as one per peer in a cluster. plainroute's event subscription is
 * open in the namespace all along, with a listener that does what the agent's does with a route
 * event (match the protocol), as in production: every change sends it a notification.
 *
 * <p>Run with {@code make bench-routes} (root). Prints µs per route, medians of the rounds after
 * the first third (warm JVM) and the best of them (the least disturbed by the machine's other
 * work), and the ratios to the floor; records nothing by itself.
 *
 * <pre>java -cp ... bench/RouteBench.java COUNT ROUNDS path/to/route-floor</pre>
 */
public class RouteBench {
  private static final int PROTOCOL = 200;
  private static final int FIRST_DESTINATION = 0x0a800000;
  private static final int FIRST_GATEWAY = 0x0a600002;
  private static final String[] COLUMNS = {"plainroute add", "plainroute dump", "plainroute delete", "C add",
      "C dump", "C delete", "ip -batch add", "ip -batch delete", "plainroute hop", "C add, one gateway", "C delete, one gateway"};

  public static void main(String[] args) throws Exception {
    int count = Integer.parseInt(args[0]);
    int rounds = Integer.parseInt(args[1]);
    String floor = Path.of(args[2]).toAbsolutePath().toString();
    String namespace = "prnl-bench-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", namespace);
    try (NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(namespace))) {
      int bridge = handle.createBridge("br0").index();
      handle.setLinkUp(bridge);
      handle.addAddress(new Address(bridge, Ipv4Prefix.parse("10.96.0.1/16")));
      Listener events = new Listener(count);
      EventSubscription subscription = handle.subscribe(events);
      List<Route> routes = IntStream.range(0, count)
          .mapToObj(i -> Route.via(Ipv4Prefix.of(FIRST_DESTINATION + (i << 8), 24),
              Ipv4Prefix.of(FIRST_GATEWAY + i, 32).address(), bridge, PROTOCOL))
          .toList();
      List<RouteChange> adds = routes.stream().map(RouteChange::add).toList();
      List<RouteChange> deletes = routes.stream().map(RouteChange::delete).toList();
      Path addBatch = batchFile(routes, "add");
      Path deleteBatch = batchFile(routes, "del");
      String[] floorCommand = {"ip", "netns", "exec", namespace, floor, "", String.valueOf(count),
          String.valueOf(bridge), String.valueOf(PROTOCOL), String.valueOf(count)};
      List<double[]> samples = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] ns = new double[COLUMNS.length];
        // Each client adds, dumps and deletes in turn; who goes first rotates from round to round.
        for (int turn = 0; turn < 3; turn++) {
          switch ((round + turn) % 3) {
            case 0 -> {
              // Timed on the handle's own thread, as the C floor times itself once it runs: a
              // call from another thread adds two thread wake-ups, reported apart (hop).
              events.settle();
              long start = System.nanoTime();
              ns[0] = handle.submit(() -> timed(() -> check(handle.applyRoutes(adds).isEmpty(), "plainroute add")))
                  .get();
              ns[8] = System.nanoTime() - start - ns[0];
              events.expect();
              events.settle();
              ns[1] = handle.submit(() -> timed(() -> check(handle.routes(PROTOCOL).size() == count,
                  "plainroute dump"))).get();
              ns[2] = handle.submit(() -> timed(() -> check(handle.applyRoutes(deletes).isEmpty(),
                  "plainroute delete"))).get();
              events.expect();
            }
            case 1 -> {
              events.settle();
              ns[3] = floor(floorCommand, "add");
              events.expect();
              events.settle();
              ns[4] = floor(floorCommand, "dump");
              ns[5] = floor(floorCommand, "del");
              events.expect();
              // For reference: the same routes through one gateway, which the kernel shares.
              floorCommand[9] = "1";
              events.settle();
              ns[9] = floor(floorCommand, "add");
              events.expect();
              events.settle();
              ns[10] = floor(floorCommand, "del");
              events.expect();
              floorCommand[9] = String.valueOf(count);
            }
            default -> {
              events.settle();
              ns[6] = timed("ip", "-n", namespace, "-batch", addBatch.toString());
              events.expect();
              events.settle();
              ns[7] = timed("ip", "-n", namespace, "-batch", deleteBatch.toString());
              events.expect();
            }
          }
        }
        if (round >= rounds / 3) {
          samples.add(ns);
        }
      }
      subscription.close();
      report(count, samples, events.seen.sum(), rounds);
    } finally {
      run("ip", "netns", "del", namespace);
    }
  }

  /**
   * Does what the agent's listener does with a route event (match the protocol) and counts them.
   * Before each timed operation the bench lets it catch up with the previous one, so that every
   * client starts with the listener idle and pays alike for the notifications its changes send.
   */
  private static final class Listener implements Consumer<NetlinkEvent> {
    private static final long SETTLE_NANOS = 2_000_000_000L;
    private final LongAdder seen = new LongAdder();
    private final int perOperation;
    private long expected;

    Listener(int perOperation) {
      this.perOperation = perOperation;
    }

    @Override
    public void accept(NetlinkEvent event) {
      if (event instanceof NetlinkEvent.RouteChanged changed && changed.route().protocol() == PROTOCOL) {
        seen.increment();
      }
    }

    /** An operation changed every route: as many events are on their way. */
    void expect() {
      expected += perOperation;
    }

    /** Waits (2 s at most: events may be lost) until the listener has seen the events expected. */
    void settle() throws InterruptedException {
      long deadline = System.nanoTime() + SETTLE_NANOS;
      while (seen.sum() < expected && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      expected = Math.min(expected, seen.sum());
    }
  }

  private static void report(int count, List<double[]> samples, long events, int rounds) {
    double[] median = IntStream.range(0, COLUMNS.length).mapToDouble(column -> median(samples, column)).toArray();
    double[] best = IntStream.range(0, COLUMNS.length).mapToDouble(column -> best(samples, column)).toArray();
    System.out.printf("[routes] %,d routes, %d rounds: medians of the last %d (their best in brackets); %,d route"
        + " events seen by the subscription%n", count, rounds, samples.size(), events);
    System.out.println("[routes] | routes | operation | plainroute | C floor | ip -batch | plainroute / floor"
        + " | ip -batch / floor |");
    System.out.println("[routes] |---|---|---|---|---|---|---|");
    row(count, "add, µs/route", median, best, 0, 3, 6);
    row(count, "delete, µs/route", median, best, 2, 5, 7);
    System.out.printf("[routes] | %,d | dump, ms | %.1f (%.1f) | %.1f (%.1f) | | %.2fx (%.2fx) | |%n", count,
        median[1] / 1e6, best[1] / 1e6, median[4] / 1e6, best[4] / 1e6, median[1] / median[4], best[1] / best[4]);
    System.out.printf("[routes] | %,d | for reference, C floor with one gateway for all routes: add, µs/route | |"
        + " %.1f (%.1f) | | | |%n", count, median[9] / count / 1e3, best[9] / count / 1e3);
    System.out.printf("[routes] | %,d | for reference, C floor with one gateway for all routes: delete, µs/route"
        + " | | %.1f (%.1f) | | | |%n", count, median[10] / count / 1e3, best[10] / count / 1e3);
    System.out.printf("[routes] a call from another thread to the handle's adds %.2f ms (%.2f ms) of thread"
        + " wake-ups to each of the above%n", median[8] / 1e6, best[8] / 1e6);
  }

  private static void row(int count, String operation, double[] median, double[] best, int plainroute, int floor,
      int ip) {
    System.out.printf("[routes] | %,d | %s | %.1f (%.1f) | %.1f (%.1f) | %.1f (%.1f) | %.2fx (%.2fx) | %.2fx (%.2fx) |%n",
        count, operation, median[plainroute] / count / 1e3, best[plainroute] / count / 1e3, median[floor] / count / 1e3,
        best[floor] / count / 1e3, median[ip] / count / 1e3, best[ip] / count / 1e3, median[plainroute] / median[floor],
        best[plainroute] / best[floor], median[ip] / median[floor], best[ip] / best[floor]);
  }

  /** Runs the C floor in the namespace; the time is its own, without starting the process. */
  private static double floor(String[] command, String operation) throws IOException, InterruptedException {
    command[5] = operation;
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("route_floor " + operation + " failed");
    }
    return Double.parseDouble(out);
  }

  /** Work on the handle's thread that may throw. */
  private interface Work {
    void run() throws Exception;
  }

  private static double timed(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return System.nanoTime() - start;
  }

  /** Wall time of a command, as a user of ip -batch waits for it. */
  private static double timed(String... command) throws IOException, InterruptedException {
    long start = System.nanoTime();
    run(command);
    return System.nanoTime() - start;
  }

  private static Path batchFile(List<Route> routes, String verb) throws IOException {
    Function<Route, String> line = route -> "route " + verb + " " + route.destination() + " via "
        + route.gateway().orElseThrow().getHostAddress() + " dev br0 proto " + PROTOCOL;
    Path file = Files.createTempFile("routes-" + verb, ".batch");
    file.toFile().deleteOnExit();
    return Files.write(file, routes.stream().map(line).toList());
  }

  private static double median(List<double[]> samples, int column) {
    double[] values = samples.stream().mapToDouble(sample -> sample[column]).sorted().toArray();
    return values[values.length / 2];
  }

  private static double best(List<double[]> samples, int column) {
    return samples.stream().mapToDouble(sample -> sample[column]).min().orElseThrow();
  }

  private static void check(boolean condition, String what) {
    if (!condition) {
      throw new IllegalStateException(what + ": the kernel did not end up with the routes expected");
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
