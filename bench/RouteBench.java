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
      "C dump", "C delete", "ip -batch add", "ip -batch delete"};

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
      LongAdder ours = new LongAdder();
      EventSubscription events = handle.subscribe(event -> {
        if (event instanceof NetlinkEvent.RouteChanged changed && changed.route().protocol() == PROTOCOL) {
          ours.increment();
        }
      });
      List<Route> routes = IntStream.range(0, count)
          .mapToObj(i -> Route.via(Ipv4Prefix.of(FIRST_DESTINATION + (i << 8), 24),
              Ipv4Prefix.of(FIRST_GATEWAY + i, 32).address(), bridge, PROTOCOL))
          .toList();
      List<RouteChange> adds = routes.stream().map(RouteChange::add).toList();
      List<RouteChange> deletes = routes.stream().map(RouteChange::delete).toList();
      Path addBatch = batchFile(routes, "add");
      Path deleteBatch = batchFile(routes, "del");
      String[] floorCommand = {"ip", "netns", "exec", namespace, floor, "", String.valueOf(count),
          String.valueOf(bridge), String.valueOf(PROTOCOL)};
      List<double[]> samples = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        double[] ns = new double[COLUMNS.length];
        // Each client adds, dumps and deletes in turn; who goes first rotates from round to round.
        for (int turn = 0; turn < 3; turn++) {
          switch ((round + turn) % 3) {
            case 0 -> {
              long start = System.nanoTime();
              check(handle.applyRoutes(adds).isEmpty(), "plainroute add");
              long added = System.nanoTime();
              check(handle.routes(PROTOCOL).size() == count, "plainroute dump");
              long dumped = System.nanoTime();
              check(handle.applyRoutes(deletes).isEmpty(), "plainroute delete");
              ns[0] = added - start;
              ns[1] = dumped - added;
              ns[2] = System.nanoTime() - dumped;
            }
            case 1 -> {
              ns[3] = floor(floorCommand, "add");
              ns[4] = floor(floorCommand, "dump");
              ns[5] = floor(floorCommand, "del");
            }
            default -> {
              ns[6] = timed("ip", "-n", namespace, "-batch", addBatch.toString());
              ns[7] = timed("ip", "-n", namespace, "-batch", deleteBatch.toString());
            }
          }
        }
        if (round >= rounds / 3) {
          samples.add(ns);
        }
      }
      events.close();
      report(count, samples, ours.sum(), rounds);
    } finally {
      run("ip", "netns", "del", namespace);
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
