package io.plainroute.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and, if controllers are asked
 * for, kube-controller-manager, each a child process of the test JVM with its files in one
 * temporary directory. No nodes, no scheduler, no kubelet: objects are stored and served, and
 * only the chosen controllers act on them.
 */
public final class ControlPlane implements AutoCloseable {

  public static final List<String> DEFAULT_CONTROLLERS = List.of("garbagecollector");

  /*
   * TEST-NET-2 (RFC 5737): reserved for documentation, so it cannot overlap any range of a lab
   * or a CI network. It is only a flag value; nothing routes it.
   */
  private static final String SERVICE_CLUSTER_IP_RANGE = "198.51.100.0/24";
  private static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";
  private static final String ADMIN_USER = "plainroute-test-admin";
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration KUBECTL_TIMEOUT = Duration.ofMinutes(2);
  private static final int LOG_TAIL_LINES = 40;
  private static final int PORT_CLASH_ATTEMPTS = 3;

  private final String name;
  private final List<String> controllers;
  private final List<String> controllerManagerArgs;
  private final Duration startupTimeout;
  private final KubeBinaries binaries = KubeBinaries.locate();
  private final RunDirectory dir;
  private final String token = randomHex(32);
  private final List<ProcessHandle> started = new ArrayList<>();
  private final AtomicInteger kubectlRuns = new AtomicInteger();
  private int etcdPort;
  private int etcdPeerPort;
  private int apiServerPort;
  private int controllerManagerPort;
  private ManagedProcess etcd;
  private ManagedProcess apiServer;
  private ManagedProcess controllerManager;
  private KubernetesClient client;
  private boolean closed;

  private ControlPlane(Builder builder) {
    this.name = builder.name;
    this.controllers = List.copyOf(builder.controllers);
    this.controllerManagerArgs = List.copyOf(builder.controllerManagerArgs);
    this.startupTimeout = builder.startupTimeout;
    this.dir = RunDirectory.create("plainroute-cp-", name);
    ExitCleanup.register(this);
  }

  public static Builder builder() {
    return new Builder();
  }

  public static final class Builder {
    private String name = "test";
    private List<String> controllers = DEFAULT_CONTROLLERS;
    private List<String> controllerManagerArgs = List.of();
    private Duration startupTimeout = Duration.ofSeconds(90);

    private Builder() {
    }

    /** Becomes part of the temporary directory's name, to tell parallel runs apart. */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** kube-controller-manager --controllers; none means kube-controller-manager is not started. */
    public Builder controllers(String... controllers) {
      this.controllers = List.of(controllers);
      return this;
    }

    /** More kube-controller-manager flags, e.g. {@code --allocate-node-cidrs} for the nodeipam controller. */
    public Builder controllerManagerArgs(String... args) {
      this.controllerManagerArgs = List.of(args);
      return this;
    }

    public Builder startupTimeout(Duration timeout) {
      this.startupTimeout = timeout;
      return this;
    }

    public ControlPlane start() {
      for (int attempt = 1; ; attempt++) {
        ControlPlane plane = new ControlPlane(this);
        try {
          plane.boot();
          return plane;
        } catch (StartupException e) {
          plane.close();
          // Free ports are picked by binding and releasing them, so another process can
          // take one before our child binds it; that is worth a fresh attempt.
          if (!e.portClash || attempt == PORT_CLASH_ATTEMPTS) {
            throw e;
          }
          System.out.println("[plainroute-cp] port taken meanwhile, retrying: " + e.getMessage().lines().findFirst().orElse(""));
        } catch (RuntimeException | Error e) {
          plane.close();
          throw e;
        }
      }
    }
  }

  /** Thrown when a component does not come up; carries the tail of its log. */
  public static final class StartupException extends IllegalStateException {
    private final boolean portClash;

    StartupException(String message, boolean portClash) {
      super(message);
      this.portClash = portClash;
    }
  }

  private void boot() {
    Instant begin = Instant.now();
    int[] ports = freePorts(4);
    etcdPort = ports[0];
    etcdPeerPort = ports[1];
    apiServerPort = ports[2];
    controllerManagerPort = ports[3];

    etcd = launch("etcd", etcdCommand());
    awaitHealthy(etcd, "http://127.0.0.1:" + etcdPort + "/health", null);
    report("etcd", begin, "127.0.0.1:" + etcdPort);

    Instant apiBegin = Instant.now();
    writeApiServerInputs();
    startApiServer();
    writeKubeconfig();
    report("kube-apiserver", apiBegin, apiServerUrl());

    if (!controllers.isEmpty()) {
      Instant kcmBegin = Instant.now();
      controllerManager = launch("kube-controller-manager", controllerManagerCommand());
      awaitHealthy(controllerManager, "https://127.0.0.1:" + controllerManagerPort + "/healthz", null);
      report("kube-controller-manager", kcmBegin, String.join(",", controllers));
    }
    System.out.printf("[plainroute-cp] %s: control plane up in %d ms, files in %s%n",
        name, Duration.between(begin, Instant.now()).toMillis(), dir.path());
  }

  private List<String> etcdCommand() {
    String client = "http://127.0.0.1:" + etcdPort;
    String peer = "http://127.0.0.1:" + etcdPeerPort;
    return List.of(binaries.etcd().toString(),
        "--name=test",
        "--data-dir=" + dir.resolve("etcd"),
        "--listen-client-urls=" + client,
        "--advertise-client-urls=" + client,
        "--listen-peer-urls=" + peer,
        "--initial-advertise-peer-urls=" + peer,
        "--initial-cluster=test=" + peer,
        // Test data is disposable; fsync would dominate start-up and every write.
        "--unsafe-no-fsync=true",
        "--log-level=warn");
  }

  private void writeApiServerInputs() {
    ServiceAccountKeys.write(dir.resolve("sa.key"), dir.resolve("sa.pub"));
    writeString(dir.resolve("tokens.csv"),
        token + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n");
  }

  private List<String> apiServerCommand() {
    return List.of(binaries.kubeApiServer().toString(),
        "--etcd-servers=http://127.0.0.1:" + etcdPort,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        "--secure-port=" + apiServerPort,
        // Without cert/key flags the apiserver self-signs into this directory; it reuses
        // the files on restart, so the kubeconfig's CA stays valid.
        "--cert-dir=" + dir.resolve("apiserver-certs"),
        "--token-auth-file=" + dir.resolve("tokens.csv"),
        "--authorization-mode=Node,RBAC",
        "--service-account-issuer=" + SERVICE_ACCOUNT_ISSUER,
        "--service-account-key-file=" + dir.resolve("sa.pub"),
        "--service-account-signing-key-file=" + dir.resolve("sa.key"),
        "--service-cluster-ip-range=" + SERVICE_CLUSTER_IP_RANGE,
        // No serviceaccount controller runs, so the "default" ServiceAccount that this
        // plugin requires for every Pod would never appear.
        "--disable-admission-plugins=ServiceAccount",
        // 127.0.0.1 is not a valid endpoint address; the "kubernetes" Service's
        // endpoints are of no use without nodes anyway.
        "--endpoint-reconciler-type=none");
  }

  private void startApiServer() {
    apiServer = launch("kube-apiserver", apiServerCommand());
    awaitHealthy(apiServer, apiServerUrl() + "/readyz", token);
  }

  private List<String> controllerManagerCommand() {
    List<String> command = new ArrayList<>(List.of(binaries.kubeControllerManager().toString(),
        "--kubeconfig=" + kubeconfig(),
        "--controllers=" + String.join(",", controllers),
        "--leader-elect=false",
        "--bind-address=127.0.0.1",
        "--secure-port=" + controllerManagerPort,
        "--cert-dir=" + dir.resolve("kcm-certs")));
    command.addAll(controllerManagerArgs);
    return command;
  }

  private ManagedProcess launch(String component, List<String> command) {
    ManagedProcess process = ManagedProcess.start(component, command, Map.of(), dir.resolve(component + ".log"));
    synchronized (this) {
      started.add(process.handle());
    }
    return process;
  }

  private void awaitHealthy(ManagedProcess process, String url, String bearerToken) {
    Instant deadline = Instant.now().plus(startupTimeout);
    while (!HealthProbe.ok(url, bearerToken)) {
      if (!process.isAlive()) {
        throw startupFailure(process, process.exitDescription());
      }
      if (Instant.now().isAfter(deadline)) {
        throw startupFailure(process, "not healthy at " + url + " after " + startupTimeout.toSeconds() + "s");
      }
      pause(POLL_INTERVAL);
    }
  }

  private StartupException startupFailure(ManagedProcess process, String why) {
    List<String> tail = process.logTail(LOG_TAIL_LINES);
    boolean portClash = tail.stream().anyMatch(line -> line.contains("address already in use"));
    return new StartupException(process.name() + " of control plane " + name + " " + why + "\n"
        + "--- last " + LOG_TAIL_LINES + " lines of " + process.log() + " ---\n"
        + String.join("\n", tail), portClash);
  }

  private void report(String component, Instant since, String detail) {
    System.out.printf("[plainroute-cp] %s ready in %d ms (%s)%n",
        component, Duration.between(since, Instant.now()).toMillis(), detail);
  }

  private void writeKubeconfig() {
    String ca;
    try {
      ca = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("apiserver-certs/apiserver.crt")));
    } catch (IOException e) {
      throw new UncheckedIOException("kube-apiserver did not write its self-signed certificate", e);
    }
    writeString(kubeconfig(), """
        apiVersion: v1
        kind: Config
        clusters:
        - name: plainroute-test
          cluster:
            server: %s
            certificate-authority-data: %s
        users:
        - name: %s
          user:
            token: %s
        contexts:
        - name: plainroute-test
          context:
            cluster: plainroute-test
            user: %s
        current-context: plainroute-test
        """.formatted(apiServerUrl(), ca, ADMIN_USER, token, ADMIN_USER));
  }

  /** A kubeconfig for a system:masters user, usable by kubectl, fabric8 and the operator. */
  public Path kubeconfig() {
    return dir.resolve("kubeconfig");
  }

  public String apiServerUrl() {
    return "https://127.0.0.1:" + apiServerPort;
  }

  /** The temporary directory holding data, certificates, the kubeconfig and the components' logs. */
  public Path directory() {
    return dir.path();
  }

  /** Every process this control plane has started (including replaced apiservers), for leak checks. */
  public synchronized List<ProcessHandle> startedProcesses() {
    return List.copyOf(started);
  }

  /** One client per control plane, closed with it. */
  public synchronized KubernetesClient client() {
    if (client == null) {
      client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(kubeconfig().toFile())).build();
    }
    return client;
  }

  /** Runs the kubectl built with the control plane against it. */
  public KubectlResult kubectl(String... args) {
    return kubectlWithInput(null, args);
  }

  /** Like {@link #kubectl(String...)}, with {@code stdin} fed to it (for {@code -f -}). */
  public KubectlResult kubectlWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(binaries.kubectl().toString(),
        "--kubeconfig=" + kubeconfig(),
        // Keeps kubectl's discovery cache out of $HOME; every run has a new port anyway.
        "--cache-dir=" + dir.resolve("kubectl-cache")));
    command.addAll(Arrays.asList(args));
    String run = "kubectl-" + kubectlRuns.incrementAndGet();
    Path out = dir.resolve(run + ".out");
    Path err = dir.resolve(run + ".err");
    Path in = dir.resolve(run + ".in");
    try {
      // Files rather than pipes: no reader threads, and a hung kubectl cannot block us.
      ProcessBuilder builder = new ProcessBuilder(command)
          .redirectOutput(out.toFile())
          .redirectError(err.toFile());
      if (stdin != null) {
        Files.writeString(in, stdin);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(new File("/dev/null"));
      }
      Process process = builder.start();
      if (!process.waitFor(KUBECTL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor();
        throw new IllegalStateException("kubectl " + String.join(" ", args) + " timed out after "
            + KUBECTL_TIMEOUT.toSeconds() + "s; stderr: " + Files.readString(err));
      }
      return new KubectlResult(process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running kubectl", e);
    } finally {
      for (Path p : List.of(out, err, in)) {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // the run directory goes away with the control plane
        }
      }
    }
  }

  /**
   * Applies every *.yaml / *.yml file in {@code dir} and waits until each CustomResourceDefinition
   * among them is Established, so that its resources can be used right away. Returns the CRD names.
   */
  public List<String> installCrds(Path crdDir) {
    List<Path> files = yamlFiles(crdDir);
    if (files.isEmpty()) {
      return List.of();
    }
    List<String> apply = new ArrayList<>(List.of("apply", "--server-side", "--force-conflicts", "-o", "name"));
    files.forEach(f -> apply.addAll(List.of("-f", f.toString())));
    String crdPrefix = "customresourcedefinition.apiextensions.k8s.io/";
    List<String> crds = kubectl(apply.toArray(String[]::new)).orThrow().lines()
        .filter(line -> line.startsWith(crdPrefix))
        .toList();
    if (!crds.isEmpty()) {
      List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=60s"));
      wait.addAll(crds);
      kubectl(wait.toArray(String[]::new)).orThrow();
    }
    System.out.printf("[plainroute-cp] %d CRDs established from %s%n", crds.size(), crdDir);
    return crds.stream().map(crd -> crd.substring(crdPrefix.length())).toList();
  }

  static List<Path> yamlFiles(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops kube-apiserver and starts it again on the same port and etcd, for tests of how clients
   * and the operator ride out an apiserver outage. Data, certificates and the kubeconfig survive.
   */
  public void restartApiServer() {
    Instant begin = Instant.now();
    apiServer.stop(STOP_GRACE);
    startApiServer();
    report("kube-apiserver (restarted)", begin, apiServerUrl());
  }

  /** Stops kube-apiserver only (until {@link #startStoppedApiServer()}), to test an outage of any length. */
  public void stopApiServer() {
    apiServer.stop(STOP_GRACE);
  }

  public void startStoppedApiServer() {
    if (apiServer.isAlive()) {
      throw new IllegalStateException("kube-apiserver is running");
    }
    startApiServer();
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
    // Dependants first, so nothing logs a storm of connection errors while going down.
    for (ManagedProcess process : Arrays.asList(controllerManager, apiServer, etcd)) {
      if (process != null) {
        process.stop(STOP_GRACE);
      }
    }
    dir.delete();
    ExitCleanup.unregister(this);
  }

  private static int[] freePorts(int count) {
    // All held open together so that the ports are distinct from each other.
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket socket : sockets) {
        try {
          socket.close();
        } catch (IOException ignored) {
          // nothing listens on it
        }
      }
    }
  }

  private static void writeString(Path file, String content) {
    try {
      Files.writeString(file, content, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "ControlPlane[" + name + " " + apiServerUrl() + " " + dir.path() + "]";
  }
}
