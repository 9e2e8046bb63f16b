package io.plainroute.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged operator running as its own JVM against a {@link ControlPlane}, so that a test can
 * crash it with SIGKILL the way a node failure or OOM kill would. Several can run side by side.
 */
public final class OperatorProcess implements AutoCloseable {

  public static final String JAR_PROPERTY = "plainroute.jar";
  private static final Path DEFAULT_JAR = Path.of("target", "quarkus-app", "quarkus-run.jar");
  private static final Duration STOP_GRACE = Duration.ofSeconds(15);
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final int FAILURE_TAIL_LINES = 40;
  private static final Pattern LISTENING = Pattern.compile("Listening on: http://127\\.0\\.0\\.1:(\\d+)");

  private final String name;
  private final RunDirectory dir;
  private final ManagedProcess process;
  private volatile int httpPort;
  private boolean closed;

  private OperatorProcess(Builder builder) {
    this.name = builder.name;
    Path jar = jar();
    this.dir = RunDirectory.create("plainroute-op-", builder.name);
    ExitCleanup.register(this);
    List<String> command = new ArrayList<>(builder.wrapper);
    command.addAll(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m",
        // Never read by the operator: it puts the run directory on the command line, which
        // is how a later run finds this JVM if the test JVM died without stopping it.
        "-Dplainroute-test.run-dir=" + dir.path()));
    builder.systemProperties.forEach((key, value) -> command.add("-D" + key + "=" + value));
    command.addAll(List.of("-jar", jar.toString()));
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBECONFIG", builder.kubeconfig.toString());
    env.put("PLAINROUTE_ROLE", builder.role);
    env.putAll(builder.env);
    this.process = ManagedProcess.start(name, command, env, dir.resolve("operator.log"));
    System.out.printf("[plainroute-op] %s (role %s) started, pid %d, log %s%n",
        name, builder.role, process.pid(), process.log());
  }

  /** An operator that talks to {@code plane} through its kubeconfig. */
  public static Builder builder(ControlPlane plane) {
    return new Builder(plane.kubeconfig());
  }

  public static final class Builder {
    private final Path kubeconfig;
    private String name = "operator";
    private String role = "controller";
    private final Map<String, String> env = new LinkedHashMap<>();
    private final Map<String, String> systemProperties = new LinkedHashMap<>();
    private final List<String> wrapper = new ArrayList<>();

    private Builder(Path kubeconfig) {
      this.kubeconfig = kubeconfig;
      // Quarkus listens on 0.0.0.0:8080 by default, which would make parallel operators
      // clash and expose them beyond the machine; the chosen port is logged at start.
      systemProperties.put("quarkus.http.host", "127.0.0.1");
      systemProperties.put("quarkus.http.port", "0");
    }

    /** Shows up in the log directory's name and in messages, e.g. "node01-agent". */
    public Builder name(String name) {
      this.name = name;
      return this;
    }

    /** PLAINROUTE_ROLE of the process. */
    public Builder role(String role) {
      this.role = role;
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** A -D option for the operator's JVM, e.g. a Quarkus config override. */
    public Builder systemProperty(String key, String value) {
      systemProperties.put(key, value);
      return this;
    }

    /**
     * Commands that run the JVM, each exec'ing the next, e.g. {@code ip netns exec NS} and
     * {@code setpriv ...} to confine it the way a container runtime would. They must exec (not
     * fork), so that the process this class stops is the JVM itself.
     */
    public Builder wrappedIn(List<String> commands) {
      wrapper.addAll(commands);
      return this;
    }

    public OperatorProcess start() {
      return new OperatorProcess(this);
    }
  }

  private static Path jar() {
    String configured = System.getProperty(JAR_PROPERTY, "");
    Path jar = configured.isBlank() ? DEFAULT_JAR : Path.of(configured);
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException("operator jar " + jar.toAbsolutePath() + " not found (system property "
          + JAR_PROPERTY + "); build it with `mvn package` (failsafe's `mvn verify` does)");
    }
    return jar;
  }

  /**
   * Waits until a line of the operator's output (from its very start) matches {@code pattern}.
   * Fails early if the process exits, and in any case with the end of its log.
   */
  public MatchResult awaitLogLine(Pattern pattern, Duration timeout) {
    LogFile.Cursor cursor = new LogFile.Cursor(process.log());
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      // Read after the liveness check so the last lines of a process that just exited count.
      boolean alive = process.isAlive();
      for (String line : cursor.newLines()) {
        Matcher matcher = pattern.matcher(line);
        if (matcher.find()) {
          return matcher.toMatchResult();
        }
      }
      if (!alive) {
        throw failure("exited (" + process.exitDescription() + ") before logging /" + pattern + "/");
      }
      if (Instant.now().isAfter(deadline)) {
        throw failure("logged no line matching /" + pattern + "/ within " + timeout.toSeconds() + "s");
      }
      ControlPlane.pause(POLL_INTERVAL);
    }
  }

  private IllegalStateException failure(String what) {
    return new IllegalStateException("operator " + name + " " + what + "\n"
        + LogFile.formatTail(process.log(), FAILURE_TAIL_LINES));
  }

  /** What GET {@code path} on the operator's HTTP port answered (metrics, health). */
  public record HttpAnswer(int status, String body) {}

  /** GET {@code path} (e.g. {@code /q/metrics}) on the port the operator logged it listens on. */
  public HttpAnswer get(String path) {
    if (httpPort == 0) {
      httpPort = Integer.parseInt(awaitLogLine(LISTENING, Duration.ofSeconds(60)).group(1));
    }
    try {
      HttpResponse<String> response = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new HttpAnswer(response.statusCode(), response.body());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("GET " + path + " on operator " + name, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public List<String> logTail(int lines) {
    return process.logTail(lines);
  }

  public Path log() {
    return process.log();
  }

  /** SIGKILL, at once: no shutdown hooks, no lease release, like a crash. */
  public void kill9() {
    process.kill();
  }

  /** SIGTERM only; true if the process exited by itself within {@code timeout}. */
  public boolean terminate(Duration timeout) {
    process.handle().destroy();
    return ManagedProcess.awaitExit(List.of(process.handle()), timeout);
  }

  /** SIGTERM and wait for a graceful exit (SIGKILL if it takes too long). */
  public void stop() {
    process.stop(STOP_GRACE);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    process.kill();
    dir.delete();
    ExitCleanup.unregister(this);
  }
}
