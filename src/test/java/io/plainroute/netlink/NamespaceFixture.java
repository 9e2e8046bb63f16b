package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import com.sun.security.auth.module.UnixSystem;

/**
 * Base of the kernel tests: each test works in network namespaces of its own, named
 * {@code prnl-<run>-<n>}, and deletes them afterwards, also when it fails. Tests set up and check
 * with {@code ip}; only the code under test must not.
 */
abstract class NamespaceFixture {
  private static final String RUN_PREFIX =
      "prnl-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + "-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

  private final List<String> namespaces = new ArrayList<>();
  private final List<AutoCloseable> handles = new ArrayList<>();

  @BeforeEach
  void requireRoot() {
    boolean root = new UnixSystem().getUid() == 0;
    assumeTrue(root, "needs root: creates network namespaces");
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    for (AutoCloseable handle : handles) {
      handle.close();
    }
    for (String namespace : namespaces) {
      run("ip", "netns", "del", namespace);
    }
  }

  /** A fresh network namespace with its loopback up. */
  String newNamespace() throws IOException, InterruptedException {
    String name = RUN_PREFIX + COUNTER.incrementAndGet();
    run("ip", "netns", "add", name);
    namespaces.add(name);
    ip(name, "link", "set", "dev", "lo", "up");
    return name;
  }

  /** A handle on the namespace, closed after the test. */
  NetlinkHandle open(String namespace) throws NetlinkException {
    return closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace)));
  }

  <T extends AutoCloseable> T closedAfterTest(T closeable) {
    handles.add(closeable);
    return closeable;
  }

  /** {@code ip -n NAMESPACE ARGS...}; fails the test when ip does. */
  static String ip(String namespace, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("ip", "-n", namespace));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  static String run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("%s exit status; output: %s", List.of(command), output).isZero();
    return output;
  }
}
