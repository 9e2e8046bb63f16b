package io.plainroute.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A real Kubernetes control plane for tests: etcd, kube-apiserver and, if controllers are asked
 * for, kube-controller-manager, each a child process of the test JVM with its files in one
 * temporary directory. No nodes, no scheduler, no kubelet: objects are stored and served, and
 * only the chosen controllers act on them.
 *
 * <p>This class owns the lifecycle only (start, restart, stop of the components); the pieces it
 * uses have one job each: {@link LoopbackPorts}, {@link Kubeconfig}, {@link Kubectl}, {@link
 * CrdInstaller}, {@link ControlPlaneCommands}, {@link ManagedProcess} (a component's process and
 * log), {@link HealthProbe}.
 */
public final class ControlPlane implements AutoCloseable {

  public static final List<String> DEFAULT_CONTROLLERS = List.of("garbagecollector");

  private static final String ADMIN_USER = "plainroute-test-admin";
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int LOG_TAIL_LINES = 40;
  private static final int PORT_CLASH_ATTEMPTS = 3;

  private final String name;
  private final List<String> controllers;
  private final List<String> controllerManagerArgs;
  private final Duration startupTimeout;
  private final KubeBinaries binaries = KubeBinaries.locate();
  private final RunDirectory dir;
  private final Kubectl kubectl;
  private final String token = randomHex(32);
  private final List<ProcessHandle> started = new ArrayList<>();
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
    this.kubectl = new Kubectl(binaries.kubectl(), kubeconfig(), dir.resolve("kubectl-cache"));
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
    int[] ports = LoopbackPorts.free(4);
    etcdPort = ports[0];
    etcdPeerPort = ports[1];
    apiServerPort = ports[2];
    controllerManagerPort = ports[3];

    etcd = launch("etcd", ControlPlaneCommands.etcd(binaries, dir, etcdPort, etcdPeerPort));
    awaitHealthy(etcd, "http://127.0.0.1:" + etcdPort + "/health", null);
    report("etcd", begin, "127.0.0.1:" + etcdPort);

    Instant apiBegin = Instant.now();
    writeApiServerInputs();
    startApiServer();
    writeKubeconfig();
    report("kube-apiserver", apiBegin, apiServerUrl());

    if (!controllers.isEmpty()) {
      Instant kcmBegin = Instant.now();
      controllerManager = launch("kube-controller-manager",
          ControlPlaneCommands.controllerManager(binaries, kubeconfig(), dir, controllerManagerPort, controllers, controllerManagerArgs));
      awaitHealthy(controllerManager, "https://127.0.0.1:" + controllerManagerPort + "/healthz", null);
      report("kube-controller-manager", kcmBegin, String.join(",", controllers));
    }
    System.out.printf("[plainroute-cp] %s: control plane up in %d ms, files in %s%n",
        name, Duration.between(begin, Instant.now()).toMillis(), dir.path());
  }

  private void writeApiServerInputs() {
    ServiceAccountKeys.write(dir.resolve("sa.key"), dir.resolve("sa.pub"));
    writeString(dir.resolve("tokens.csv"),
        token + "," + ADMIN_USER + "," + ADMIN_USER + ",\"system:masters\"\n");
  }

  private void startApiServer() {
    apiServer = launch("kube-apiserver", ControlPlaneCommands.apiServer(binaries, dir, etcdPort, apiServerPort));
    awaitHealthy(apiServer, apiServerUrl() + "/readyz", token);
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
    Kubeconfig.write(kubeconfig(), apiServerUrl(), dir.resolve("apiserver-certs/apiserver.crt"), ADMIN_USER, token);
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

  /** kubectl against this control plane, as its admin. */
  public Kubectl kubectl() {
    return kubectl;
  }

  /** Runs the kubectl built with the control plane against it (same as {@code kubectl().run(args)}). */
  public KubectlResult kubectl(String... args) {
    return kubectl.run(args);
  }

  /** Like {@link #kubectl(String...)}, with {@code stdin} fed to it (for {@code -f -}). */
  public KubectlResult kubectlWithInput(String stdin, String... args) {
    return kubectl.runWithInput(stdin, args);
  }

  /** {@link CrdInstaller#install}: applies the directory's CRDs and waits until they are Established. */
  public List<String> installCrds(Path crdDir) {
    return CrdInstaller.install(kubectl, crdDir);
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
