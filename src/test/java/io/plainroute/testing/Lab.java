package io.plainroute.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The network-namespace lab of {@code hack/lab/lab.sh} — the one {@code make demo} runs — driven
 * from a test: a LAN, a control plane reachable over it, nodes running the agent, an outside host,
 * pods attached by the reference CNI plugins. Each lab gets a unique name, is owned by this JVM
 * (a lab whose JVM died is swept by the next one) and is taken down on {@link #close()}, also
 * when the test failed.
 */
public final class Lab implements AutoCloseable {

  private static final Path SCRIPT = Path.of("hack", "lab", "lab.sh").toAbsolutePath();
  private static final Path ROOT = Path.of(System.getProperty("plainroute.lab.root", "/run/plainroute-lab"));
  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);
  private static final AtomicInteger LABS = new AtomicInteger();

  private final String name;
  private final Topology topology;
  private KubernetesClient client;
  private boolean closed;

  /** What a lab is made of; {@link #lectures()} is the lectures' (and {@code make demo}'s) cluster. */
  public record Topology(String lan, int nodes, List<String> clusterCidrs, int nodePrefixLength) {
    public static Topology lectures() {
      return new Topology("192.168.1.0/24", 3, List.of("10.244.0.0/16"), 24);
    }
  }

  private Lab(String name, Topology topology) {
    this.name = name;
    this.topology = topology;
  }

  /** Starts a lab and waits until every node's NodeNetwork is Ready. */
  public static Lab up(Topology topology) {
    return up(topology, new String[0]);
  }

  /** Like {@link #up(Topology)}, with more options of {@code lab.sh up} (e.g. {@code --prometheus}). */
  public static Lab up(Topology topology, String... options) {
    run(List.of("sweep"));
    // Names become namespace names ("e4711b-node01-pod1"), so they stay short.
    String name = "e" + (ProcessHandle.current().pid() % 100_000) + (char) ('a' + LABS.getAndIncrement() % 26);
    Lab lab = new Lab(name, topology);
    ExitCleanup.register(lab);
    try {
      List<String> up = new ArrayList<>(List.of("up", "--lan", topology.lan(), "--nodes", Integer.toString(topology.nodes()),
          "--cluster-cidr", String.join(",", topology.clusterCidrs()),
          "--node-prefix", Integer.toString(topology.nodePrefixLength()),
          "--owner", Long.toString(ProcessHandle.current().pid())));
      up.addAll(Arrays.asList(options));
      lab.lab(up.toArray(String[]::new));
      return lab;
    } catch (RuntimeException | Error e) {
      lab.close();
      throw e;
    }
  }

  public Topology topology() {
    return topology;
  }

  public String name() {
    return name;
  }

  /** Runs {@code lab.sh --name NAME ARGS}; returns its stdout, fails with its stderr. */
  public String lab(String... args) {
    return run(withName(args));
  }

  /** Like {@link #lab(String...)} but returns the exit code and output instead of failing. */
  public Result tryLab(String... args) {
    return execute(withName(args));
  }

  private List<String> withName(String... args) {
    List<String> command = new ArrayList<>(List.of("--name", name));
    command.addAll(Arrays.asList(args));
    return command;
  }

  /** The network namespace of {@code where} ("cp", "out", "node01", "node01-pod1"). */
  public String namespace(String where) {
    return name + "-" + where;
  }

  /** Starts a pod on {@code node}; returns its address. */
  public String addPod(String node, String pod) {
    return lab("pod", "add", node, pod).strip();
  }

  /** True if {@code count} pings from {@code where} to {@code address} are all answered. */
  public boolean ping(String where, String address, int count) {
    return tryLab("exec", where, "ping", "-c", Integer.toString(count), "-i", "0.2", "-W", "2", address).ok();
  }

  /** The address the echo server at {@code address} saw a datagram from {@code where} come from. */
  public String sourceSeenBy(String where, String address) {
    return lab("ask", where, address).strip();
  }

  public String exec(String where, String... command) {
    List<String> args = new ArrayList<>(List.of("exec", where));
    args.addAll(Arrays.asList(command));
    return lab(args.toArray(String[]::new));
  }

  public String kubectl(String... args) {
    List<String> command = new ArrayList<>(List.of("kubectl"));
    command.addAll(Arrays.asList(args));
    return lab(command.toArray(String[]::new));
  }

  /** The kubeconfig that reaches the lab's API server from the machine's own namespace (loopback relay). */
  public Path kubeconfig() {
    return ROOT.resolve(name).resolve("kubeconfig");
  }

  /** The lab's directory: logs, kubeconfigs, each node's CNI config and IPAM state. */
  public Path state() {
    return ROOT.resolve(name);
  }

  /** A value of the lab's {@code lab.env} (LAN, CP_IP, API_PORT, PROMETHEUS_PORT, ...). */
  public String setting(String name) {
    try {
      return Files.readAllLines(state().resolve("lab.env")).stream().filter(l -> l.startsWith(name + "="))
          .map(l -> l.substring(name.length() + 1)).reduce((first, last) -> last)
          .orElseThrow(() -> new IllegalStateException("lab " + this.name + " has no " + name + " in lab.env"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The pid of one of the lab's processes ("controller", "agent-node01", "kube-apiserver") while
   * it runs; a supervised one gets a new pid each time it is started again.
   */
  public OptionalLong pid(String process) {
    try {
      Path file = state().resolve("pids").resolve(process);
      if (!Files.isRegularFile(file)) {
        return OptionalLong.empty();
      }
      long pid = Long.parseLong(Files.readString(file).strip());
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isPresent() ? OptionalLong.of(pid)
          : OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      // Being rewritten by its supervisor at this moment: as good as not running yet.
      return OptionalLong.empty();
    }
  }

  public Path logs() {
    return state().resolve("logs");
  }

  public synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig().toFile())).build();
    }
    return client;
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      if (client != null) {
        client.close();
      }
    }
    Result down = execute(withName("down"));
    if (!down.ok()) {
      System.err.println("[plainroute-lab] taking lab " + name + " down failed: " + down.stderr());
    }
    ExitCleanup.unregister(this);
  }

  /** Exit code and output of a lab.sh run. */
  public record Result(int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }
  }

  private static String run(List<String> args) {
    Result result = execute(args);
    if (!result.ok()) {
      throw new IllegalStateException("lab.sh " + String.join(" ", args) + " exited with " + result.exitCode()
          + "\nstdout: " + result.stdout() + "\nstderr: " + result.stderr());
    }
    return result.stdout();
  }

  private static Result execute(List<String> args) {
    List<String> command = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    command.addAll(args);
    Command lab = Command.of(command).timeout(COMMAND_TIMEOUT);
    String bin = System.getProperty(KubeBinaries.BIN_PROPERTY, "");
    if (!bin.isBlank()) {
      lab.env("K8S_BIN", bin);
    }
    String jar = System.getProperty(OperatorProcess.JAR_PROPERTY, "");
    if (!jar.isBlank()) {
      lab.env("JAR", Path.of(jar).toAbsolutePath().toString());
    }
    Command.Result result = lab.run();
    return new Result(result.exitCode(), result.stdout(), result.stderr());
  }
}
