import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.netlink.Route;
import io.plainroute.netlink.RouteChange;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * Batched route add / dump / delete through NetlinkHandle against {@code ip -batch}, in one run,
 * in a scratch network namespace of its own (needs root). Medians of the rounds after warm-up.
 *
 * <p>Run with {@code make bench} (root), which records nothing by itself: copy its lines into
 * BENCHMARKS.md together with the command.
 */
public class RouteBench {
  private static final int PROTOCOL = 200;

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    String namespace = "prnl-bench-" + ProcessHandle.current().pid();
    run("ip", "netns", "add", namespace);
    try (NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named(namespace))) {
      int bridge = handle.createBridge("br0").index();
      handle.setLinkUp(bridge);
      run("ip", "-n", namespace, "addr", "add", "10.0.0.1/24", "dev", "br0");
      List<Route> routes = IntStream.range(0, count)
          .mapToObj(i -> Route.via(Ipv4Prefix.parse("10." + (128 + i / 256) + "." + (i % 256) + ".0/24"),
              Ipv4Prefix.parseAddress("10.0.0.2"), bridge, PROTOCOL))
          .toList();
      Path adds = batchFile(routes, "add");
      Path deletes = batchFile(routes, "del");
      List<double[]> samples = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        long start = System.nanoTime();
        check(handle.applyRoutes(routes.stream().map(RouteChange::add).toList()).isEmpty());
        long added = System.nanoTime();
        check(handle.routes(PROTOCOL).size() == count);
        long dumped = System.nanoTime();
        check(handle.applyRoutes(routes.stream().map(RouteChange::delete).toList()).isEmpty());
        long deleted = System.nanoTime();
        run("ip", "-n", namespace, "-batch", adds.toString());
        long ipAdded = System.nanoTime();
        run("ip", "-n", namespace, "-batch", deletes.toString());
        long ipDeleted = System.nanoTime();
        if (round >= rounds / 3) {
          samples.add(new double[] {ms(start, added), ms(added, dumped), ms(dumped, deleted),
              ms(deleted, ipAdded), ms(ipAdded, ipDeleted)});
        }
      }
      double add = median(samples, 0);
      double delete = median(samples, 2);
      double ipAdd = median(samples, 3);
      double ipDelete = median(samples, 4);
      System.out.printf("%,d routes, medians in ms: add %.1f, dump %.1f, delete %.1f; ip -batch add %.1f,"
          + " delete %.1f; plainroute is %.1fx as fast as ip -batch to add, %.1fx to delete%n",
          count, add, median(samples, 1), delete, ipAdd, ipDelete, ipAdd / add, ipDelete / delete);
    } finally {
      run("ip", "netns", "del", namespace);
    }
  }

  private static Path batchFile(List<Route> routes, String verb) throws IOException {
    Function<Route, String> line = route -> "route " + verb + " " + route.destination() + " via "
        + route.gateway().orElseThrow().getHostAddress() + " dev br0 proto " + PROTOCOL;
    Path file = Files.createTempFile("routes-" + verb, ".batch");
    file.toFile().deleteOnExit();
    return Files.write(file, routes.stream().map(line).toList());
  }

  private static double median(List<double[]> samples, int column) {
    List<Double> values = new ArrayList<>(samples.stream().map(sample -> sample[column]).toList());
    Collections.sort(values);
    return values.get(values.size() / 2);
  }

  private static double ms(long from, long to) {
    return (to - from) / 1e6;
  }

  private static void check(boolean condition) {
    if (!condition) {
      throw new IllegalStateException("the kernel did not end up with the routes expected");
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).inheritIO().start();
    if (process.waitFor() != 0) {
      throw new IOException(String.join(" ", command) + " failed");
    }
  }
}
