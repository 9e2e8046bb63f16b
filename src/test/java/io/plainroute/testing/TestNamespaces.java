package io.plainroute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network namespaces that a test makes for itself with {@code ip netns add}, named {@code
 * <prefix>-<pid>-<random>-<n>} (unique per JVM, so parallel runs never collide), and deletes with
 * {@link #close()}, also when the test failed. What a killed JVM left behind is deleted by the
 * next run: the pid in the name tells that its owner is gone. Tests set up and check with {@code
 * ip}; only the code under test must not.
 */
public final class TestNamespaces implements AutoCloseable {
  private static final long PID = ProcessHandle.current().pid();
  private static final String RUN = PID + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
  private static final Path IP_NETNS_DIRECTORY = Path.of("/var/run/netns");
  private static final Set<String> SWEPT_PREFIXES = new HashSet<>();
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String prefix;
  private final Pattern ownedName;
  private final List<String> created = new ArrayList<>();

  /** Namespaces named {@code <prefix>-<pid>-<random>-<n>}, e.g. prefix {@code prcni}. */
  public TestNamespaces(String prefix) {
    this.prefix = prefix + "-" + RUN + "-";
    this.ownedName = Pattern.compile(Pattern.quote(prefix) + "-(\\d{1,10})-[0-9a-f]{8}-\\d+");
  }

  /** Whether this JVM runs as root, which {@code ip netns add} needs. */
  public static boolean isRoot() {
    return new UnixSystem().getUid() == 0;
  }

  /** A fresh network namespace with its loopback up. */
  public synchronized String create() throws IOException, InterruptedException {
    sweepOnce();
    String name = prefix + COUNTER.incrementAndGet();
    run("ip", "netns", "add", name);
    created.add(name);
    ip(name, "link", "set", "dev", "lo", "up");
    return name;
  }

  /** Deletes the namespaces made here, newest first; every one is tried even when one fails. */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    List<String> failures = new ArrayList<>();
    for (int i = created.size() - 1; i >= 0; i--) {
      Command.Result outcome = execute("ip", "netns", "del", created.get(i));
      if (!outcome.ok()) {
        failures.add(created.get(i) + ": " + outcome.stdout().strip());
      }
    }
    created.clear();
    if (!failures.isEmpty()) {
      throw new IOException("could not delete network namespaces " + failures);
    }
  }

  /** Deletes namespaces of this prefix whose JVM is gone; once per prefix and JVM. */
  private void sweepOnce() throws IOException, InterruptedException {
    synchronized (SWEPT_PREFIXES) {
      if (!SWEPT_PREFIXES.add(ownedName.pattern()) || !Files.isDirectory(IP_NETNS_DIRECTORY)) {
        return;
      }
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(IP_NETNS_DIRECTORY)) {
        for (Path entry : entries) {
          String name = entry.getFileName().toString();
          Matcher matcher = ownedName.matcher(name);
          if (matcher.matches() && !name.startsWith(prefix) && isGone(Long.parseLong(matcher.group(1)))) {
            execute("ip", "netns", "del", name);
            System.out.println("[plainroute-test] deleted network namespace " + name + " of a dead run");
          }
        }
      }
    }
  }

  /**
   * A JVM that no longer runs (pids of this machine: the tests run in its pid namespace); this JVM
   * counts too, for a name that is not of this run was left by an earlier owner of the pid.
   */
  private static boolean isGone(long pid) {
    return pid == PID || ProcessHandle.of(pid).map(process -> !process.isAlive()).orElse(true);
  }

  /** {@code ip -n NAMESPACE ARGS...}; fails the test when ip does. */
  public static String ip(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /** {@code ip -j -n NAMESPACE ARGS...}, parsed. */
  public static JsonNode ipJson(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("-j"));
    command.addAll(List.of(args));
    return JSON.readTree(ip(namespace, command.toArray(String[]::new)));
  }

  /** {@code ip netns exec NAMESPACE COMMAND...}; fails the test when the command does. */
  public static String exec(String namespace, String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  /** {@code nft ARGS...} inside the namespace; fails the test when nft does. */
  public static String nft(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("nft"));
    command.addAll(List.of(args));
    return exec(namespace, command.toArray(String[]::new));
  }

  /** {@code nft -f -} inside the namespace, with the script on its standard input; fails the test when nft does. */
  public static String nftScript(String namespace, String script) {
    return succeeded(Command.of("ip", "netns", "exec", namespace, "nft", "-f", "-").input(script)
        .timeout(COMMAND_TIMEOUT).mergeErrors().run());
  }

  /** Runs a command inside the namespace and returns how it went (output: stdout and stderr together), without judging. */
  public static Command.Result tryExec(String namespace, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    full.addAll(List.of(command));
    return execute(full.toArray(String[]::new));
  }

  /** Runs a command to its end; fails the test when it fails or takes longer than 30 s. */
  public static String run(String... command) throws IOException, InterruptedException {
    return succeeded(execute(command));
  }

  private static String succeeded(Command.Result result) {
    assertThat(result.exitCode()).as("%s exit status; output: %s", result.command(), result.stdout()).isZero();
    return result.stdout();
  }

  /** stdout and stderr together, as a person at a shell would read them. */
  private static Command.Result execute(String... command) {
    return Command.of(command).timeout(COMMAND_TIMEOUT).mergeErrors().run();
  }
}
