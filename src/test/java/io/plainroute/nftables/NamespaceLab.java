package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.plainroute.netns.NetworkNamespace;
import io.plainroute.testing.KernelTestBase;

/**
 * The nftables kernel tests' base: namespaces named {@code prnft-...}, set up and checked with
 * {@code ip} and {@code nft}. Nothing is ever added to the machine's own namespace: veth pairs are
 * created with both ends inside test namespaces.
 */
abstract class NamespaceLab extends KernelTestBase {
  private static final long COMMAND_TIMEOUT_SECONDS = 30;

  /** What a command printed (stdout and stderr together) and its exit status. */
  record Result(int status, String output) {
  }

  NamespaceLab() {
    super("prnft");
  }

  /** The masquerade of a namespace, closed after the test. */
  Masquerade masquerade(String namespace) throws IOException {
    return closedAfterTest(Masquerade.open(NetworkNamespace.named(namespace)));
  }

  /** {@code ip -n NAMESPACE ARGS...}; fails the test when ip does. */
  static String ip(String namespace, String... args) throws IOException, InterruptedException {
    return run(prepend(List.of("ip", "-n", namespace), args));
  }

  /** {@code nft ARGS...} inside the namespace; fails the test when nft does. */
  static String nft(String namespace, String... args) throws IOException, InterruptedException {
    return run(prepend(List.of("ip", "netns", "exec", namespace, "nft"), args));
  }

  /** {@code nft -f -} inside the namespace, with the script on its standard input. */
  static String nftScript(String namespace, String script) throws IOException, InterruptedException {
    String[] command = {"ip", "netns", "exec", namespace, "nft", "-f", "-"};
    return succeeded(execWithInput(script, command), command);
  }

  /** Runs a command inside the namespace and returns how it went, without judging. */
  static Result execIn(String namespace, String... command) throws IOException, InterruptedException {
    return exec(prepend(List.of("ip", "netns", "exec", namespace), command));
  }

  static String run(String... command) throws IOException, InterruptedException {
    return succeeded(exec(command), command);
  }

  static Result exec(String... command) throws IOException, InterruptedException {
    return execWithInput("", command);
  }

  private static String succeeded(Result result, String... command) {
    assertThat(result.status()).as("%s exit status; output: %s", List.of(command), result.output()).isZero();
    return result.output();
  }

  private static Result execWithInput(String input, String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (var stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)).as("%s finished", List.of(command)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private static String[] prepend(List<String> prefix, String... args) {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }
}
