import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.OperatorProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Subnet allocation for a burst of Nodes: plainroute's controller against kube-controller-manager's
 * nodeipam controller of the same Kubernetes build, each on a fresh control plane of its own
 * (etcd + kube-apiserver on this machine), runs interleaved round by round:
 * <ul>
 *   <li>{@code plainroute}: the packaged controller (target/quarkus-app), ClusterNetwork RANGE /24;
 *   <li>{@code kcm-default}: {@code --controllers=nodeipam --allocate-node-cidrs --cluster-cidr RANGE
 *       --node-cidr-mask-size 24} with its default client limits (qps 20, burst 30);
 *   <li>{@code kcm-raised}: the same with {@code --kube-api-qps=100 --kube-api-burst=200}.
 * </ul>
 * One warm-up Node proves the allocator is running before the clock starts; then NODES Nodes are
 * created as fast as 8 threads can, and a watch records when each appears and when its
 * spec.podCIDR is set. API writes are counted from kube-apiserver's {@code apiserver_request_total}
 * before and after (the bench's own Node creates and leader-election Leases left out).
 *
 * <p>{@code make bench-alloc}; args: NODES ROUNDS [VARIANT,...]. {@code PLAINROUTE_BENCH_CONTROLLER_OPTS}
 * are JVM options for plainroute's controller, for profiling it, e.g.
 * {@code -agentpath:.../libasyncProfiler.so=start,event=wall,threads,file=/tmp/alloc.collapsed}
 * (async-profiler; the controller is stopped gracefully, so the profile is written).
 */
public class AllocBench {
  /** 1,024 /24s; PLAINROUTE_BENCH_RANGE for larger bursts (e.g. 10.64.0.0/11 for 5,000 Nodes). */
  private static final String RANGE = System.getenv().getOrDefault("PLAINROUTE_BENCH_RANGE", "10.64.0.0/14");
  private static final int CREATORS = 8;
  private static final Duration DEADLINE = Duration.ofMinutes(10);
  private static final Pattern REQUEST_TOTAL = Pattern.compile("^apiserver_request_(total|duration_seconds_sum)\\{(.*)} (\\S+)$");
  /** Suffix of the keys that sum kube-apiserver's time spent on a kind of request. */
  private static final String SERVER_SECONDS = " server-s";
  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

  record Run(String variant, double firstToAll, double lastToAll, double createSeconds, double p50, double p99, double max,
      Map<String, Double> writesPerNode, Map<String, Double> cpuSeconds) {
    double totalWritesPerNode() {
      return writesPerNode.entrySet().stream().filter(e -> !isRead(e.getKey())).mapToDouble(Map.Entry::getValue).sum();
    }

    static boolean isRead(String request) {
      return request.startsWith("LIST ") || request.startsWith("GET ");
    }
  }

  public static void main(String[] args) {
    try {
      bench(args);
    } catch (Exception | Error e) {
      e.printStackTrace();
      System.exit(1);
    }
    // Vert.x event loops of the clients are not daemon threads.
    System.exit(0);
  }

  private static void bench(String[] args) throws Exception {
    int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> variants = args.length > 2 ? List.of(args[2].split(",")) : List.of("plainroute", "kcm-default", "kcm-raised");
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (int round = 1; round <= rounds; round++) {
      for (String variant : variants) {
        Run run = run(variant, nodes, round);
        runs.computeIfAbsent(variant, k -> new ArrayList<>()).add(run);
        System.out.printf("[alloc] round %d %-11s %d nodes created in %.1f s; all allocated %.2f s after the first create, %.2f s after the"
                + " last; per node p50 %.0f ms, p99 %.0f ms, max %.0f ms; writes/node %.2f; requests/node %s; CPU s %s%n",
            round, variant, nodes, run.createSeconds, run.firstToAll, run.lastToAll, run.p50 * 1000, run.p99 * 1000, run.max * 1000,
            run.totalWritesPerNode(), format(run.writesPerNode), format(run.cpuSeconds));
      }
    }
    System.out.printf("[alloc] medians of %d rounds, %d Nodes in a burst, %s cut into /24s:%n", rounds, nodes, RANGE);
    System.out.println("[alloc] variant      first->all  last->all   p50 ms   p99 ms  writes/node");
    Map<String, Run> medians = new LinkedHashMap<>();
    runs.forEach((variant, list) -> {
      Run m = new Run(variant, median(list, Run::firstToAll), median(list, Run::lastToAll), median(list, Run::createSeconds),
          median(list, Run::p50), median(list, Run::p99), median(list, Run::max), list.get(0).writesPerNode, list.get(0).cpuSeconds);
      medians.put(variant, m);
      System.out.printf("[alloc] %-11s %9.2f s %9.2f s %8.0f %8.0f  %.2f %s%n", variant, m.firstToAll, m.lastToAll, m.p50 * 1000,
          m.p99 * 1000, m.totalWritesPerNode(), format(m.writesPerNode));
    });
    Run ours = medians.get("plainroute");
    if (ours != null) {
      medians.values().stream().filter(m -> m != ours).forEach(m -> System.out.printf(
          "[alloc] plainroute vs %s: last create -> all allocated %.2fx its time (first create -> all %.2fx), p99 %.2fx%n",
          m.variant, ours.lastToAll / m.lastToAll, ours.firstToAll / m.firstToAll, ours.p99 / m.p99));
    }
  }

  private static Run run(String variant, int count, int round) throws Exception {
    ControlPlane.Builder builder = ControlPlane.builder().name("alloc-" + variant + "-" + round);
    List<String> kcmArgs = new ArrayList<>(List.of("--allocate-node-cidrs=true", "--cluster-cidr=" + RANGE, "--node-cidr-mask-size=24"));
    switch (variant) {
      case "plainroute" -> builder.controllers();
      case "kcm-default" -> builder.controllers("nodeipam").controllerManagerArgs(kcmArgs.toArray(String[]::new));
      case "kcm-raised" -> {
        kcmArgs.addAll(List.of("--kube-api-qps=100", "--kube-api-burst=200"));
        builder.controllers("nodeipam").controllerManagerArgs(kcmArgs.toArray(String[]::new));
      }
      default -> throw new IllegalArgumentException("variant '" + variant + "': use plainroute, kcm-default or kcm-raised");
    }
    try (ControlPlane plane = builder.start();
        OperatorProcess controller = variant.equals("plainroute") ? startPlainroute(plane) : null;
        KubernetesClient client = unthrottledClient(plane.kubeconfig())) {
      NodeWatch watch = new NodeWatch();
      try (Watch ignored = client.nodes().watch(watch)) {
        client.nodes().resource(node("warmup", 0)).create();
        watch.awaitAllocated(1, DEADLINE);
        Map<String, Double> before = writes(client);
        Map<String, Double> cpuBefore = cpu(plane, controller);
        long firstCreate = System.nanoTime();
        ExecutorService creators = Executors.newFixedThreadPool(CREATORS);
        List<Future<?>> creates = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
          Node node = node(String.format("node-%05d", i), i);
          creates.add(creators.submit(() -> client.nodes().resource(node).create()));
        }
        for (Future<?> create : creates) {
          create.get();
        }
        long lastCreate = System.nanoTime();
        creators.shutdown();
        long allAllocated = watch.awaitAllocated(count + 1, DEADLINE);
        Map<String, Double> after = writes(client);
        Map<String, Double> cpu = cpu(plane, controller);
        cpuBefore.forEach((process, seconds) -> cpu.merge(process, -seconds, Double::sum));
        Map<String, Double> perNode = new TreeMap<>();
        Map<String, Double> serverMillis = new TreeMap<>();
        after.forEach((key, value) -> {
          double delta = value - before.getOrDefault(key, 0.0);
          if (key.endsWith(SERVER_SECONDS)) {
            String request = key.substring(0, key.length() - SERVER_SECONDS.length());
            double requests = after.getOrDefault(request, 0.0) - before.getOrDefault(request, 0.0);
            if (requests > 0 && !Run.isRead(request)) {
              serverMillis.put(request, 1000 * delta / requests);
            }
            return;
          }
          delta -= key.equals("POST nodes") ? count : 0;
          if (delta > 0) {
            perNode.put(key, delta / count);
          }
        });
        System.out.printf("[alloc] round %d %s: kube-apiserver's mean time per write in ms %s%n", round, variant, format(serverMillis));
        if (controller != null && System.getenv().containsKey("PLAINROUTE_BENCH_MEMORY")) {
          // With -XX:NativeMemoryTracking=summary in PLAINROUTE_BENCH_CONTROLLER_OPTS: where the RSS goes.
          for (String command : List.of("GC.run", "GC.heap_info", "VM.native_memory summary", "GC.class_histogram")) {
            Process jcmd = new ProcessBuilder(List.of("jcmd", Long.toString(controller.pid()), command)).redirectErrorStream(true).start();
            String out = new String(jcmd.getInputStream().readAllBytes());
            jcmd.waitFor();
            out.lines().limit(60).forEach(line -> System.out.println("[alloc-memory] " + command + ": " + line));
          }
          System.out.println("[alloc-memory] RSS: " + java.nio.file.Files.readAllLines(Path.of("/proc/" + controller.pid() + "/status"))
              .stream().filter(l -> l.startsWith("VmRSS")).findFirst().orElse("?"));
        }
        if (controller != null) {
          controller.stop(); // gracefully: a profiler's recording is written at exit
          java.nio.file.Files.copy(controller.log(), Path.of("target", "bench-alloc-controller-" + round + ".log"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        double[] latencies = watch.latencies();
        return new Run(variant, seconds(allAllocated - firstCreate), seconds(allAllocated - lastCreate), seconds(lastCreate - firstCreate),
            percentile(latencies, 0.50), percentile(latencies, 0.99), latencies[latencies.length - 1], perNode, cpu);
      }
    }
  }

  private static OperatorProcess startPlainroute(ControlPlane plane) {
    plane.installCrds(Path.of("crds"));
    OperatorProcess.Builder builder = OperatorProcess.builder(plane).name("alloc-controller").role("controller")
        .systemProperty("plainroute.leader-election.namespace", "default");
    // The controller's JVM flags of hack/jvm/launch.sh (C1 only, serial GC), what a Deployment runs.
    builder.env("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC "
        + System.getenv().getOrDefault("PLAINROUTE_BENCH_CONTROLLER_OPTS", ""));
    OperatorProcess controller = builder.start();
    controller.awaitLogLine(Pattern.compile("Listening on: http://"), Duration.ofSeconds(120));
    plane.kubectlWithInput("""
        {"apiVersion": "plainroute.io/v1alpha1", "kind": "ClusterNetwork", "metadata": {"name": "default"},
         "spec": {"clusterCIDRs": ["%s"], "nodeSubnetPrefixLength": 24}}
        """.formatted(RANGE), "apply", "-f", "-").orThrow();
    return controller;
  }

  /** The bench's own client: fabric8's vertx client has no rate limit; 8 creating threads are the bound. */
  private static KubernetesClient unthrottledClient(Path kubeconfig) {
    return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig.toFile())).build();
  }

  /** A Node as a kubelet registers it: name, hostname label, InternalIP (outside the cluster range). */
  private static Node node(String name, int index) {
    return new NodeBuilder()
        .withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("172.20." + (index / 250) + "." + (index % 250 + 1)).endAddress()
        .addNewAddress().withType("Hostname").withAddress(name).endAddress()
        .endStatus()
        .build();
  }

  /** Counters of requests (writes, LIST and GET) by "VERB resource[/subresource]", Leases left out. */
  private static Map<String, Double> writes(KubernetesClient client) {
    Map<String, Double> writes = new TreeMap<>();
    for (String line : client.raw("/metrics").split("\n")) {
      Matcher m = REQUEST_TOTAL.matcher(line);
      if (!m.matches()) {
        continue;
      }
      Map<String, String> labels = new TreeMap<>();
      Matcher l = LABEL.matcher(m.group(2));
      while (l.find()) {
        labels.put(l.group(1), l.group(2));
      }
      String verb = labels.getOrDefault("verb", "");
      if (!List.of("POST", "PUT", "PATCH", "DELETE", "APPLY", "LIST", "GET").contains(verb) || "leases".equals(labels.get("resource"))) {
        continue;
      }
      String subresource = labels.getOrDefault("subresource", "");
      String key = verb + " " + labels.get("resource") + (subresource.isEmpty() ? "" : "/" + subresource)
          + (m.group(1).equals("total") ? "" : SERVER_SECONDS);
      writes.merge(key, Double.parseDouble(m.group(3)), Double::sum);
    }
    return writes;
  }

  /** CPU seconds used so far by each process of the control plane and by plainroute's controller. */
  private static Map<String, Double> cpu(ControlPlane plane, OperatorProcess controller) {
    Map<String, Double> cpu = new TreeMap<>();
    List<ProcessHandle> processes = new ArrayList<>(plane.startedProcesses());
    if (controller != null) {
      ProcessHandle.of(controller.pid()).ifPresent(processes::add);
    }
    for (ProcessHandle process : processes) {
      String command = process.info().command().orElse("?");
      String name = command.endsWith("java") ? "plainroute" : Path.of(command).getFileName().toString();
      process.info().totalCpuDuration().ifPresent(d -> cpu.merge(name, d.toMillis() / 1000.0, Double::sum));
    }
    return cpu;
  }

  /** When each Node was first seen and when it was first seen with a podCIDR, on one clock. */
  static final class NodeWatch implements Watcher<Node> {
    private final Map<String, Long> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> allocated = new ConcurrentHashMap<>();

    @Override
    public void eventReceived(Action action, Node node) {
      long now = System.nanoTime();
      String name = node.getMetadata().getName();
      seen.putIfAbsent(name, now);
      if (node.getSpec() != null && node.getSpec().getPodCIDR() != null && allocated.putIfAbsent(name, now) == null) {
        synchronized (this) {
          notifyAll();
        }
      }
    }

    @Override
    public void onClose(WatcherException cause) {
      throw new IllegalStateException("the Node watch closed: the timings would be incomplete", cause);
    }

    /** Waits until {@code count} Nodes have a podCIDR; returns when the last one got it. */
    synchronized long awaitAllocated(int count, Duration deadline) throws InterruptedException {
      long end = System.nanoTime() + deadline.toNanos();
      while (allocated.size() < count) {
        long left = end - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException(allocated.size() + " of " + count + " Nodes allocated within " + deadline);
        }
        wait(Math.max(1, left / 1_000_000));
      }
      return allocated.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    double[] latencies() {
      return allocated.entrySet().stream().filter(e -> !e.getKey().equals("warmup"))
          .mapToDouble(e -> seconds(e.getValue() - seen.get(e.getKey()))).sorted().toArray();
    }
  }

  private static String format(Map<String, Double> writesPerNode) {
    return writesPerNode.entrySet().stream().map(e -> String.format("%s %.2f", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", ", "(", ")"));
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> value) {
    double[] values = runs.stream().mapToDouble(value).sorted().toArray();
    return values[values.length / 2];
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
