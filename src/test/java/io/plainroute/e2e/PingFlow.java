package io.plainroute.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A ping every 200 ms from one lab namespace to an address, running across a fault: {@link #stop()}
 * ends it and counts, by sequence number, the echo requests before the last answered one that got
 * no answer (the one in flight when it is stopped is not a loss).
 */
final class PingFlow implements AutoCloseable {
  private static final Pattern REPLY = Pattern.compile("bytes from .*icmp_seq=(\\d+)");

  private final Process ping;
  private final Path output;

  /** @param sent the requests up to the last answered one; @param lost those of them never answered */
  record Count(int sent, int lost) {
  }

  private PingFlow(Process ping, Path output) {
    this.ping = ping;
    this.output = output;
  }

  /** {@code namespace} is the full network namespace name (Lab#namespace). */
  static PingFlow start(String namespace, String address) throws IOException {
    Path output = Files.createTempFile("plainroute-ping-", ".out");
    // ip netns exec execs ping in place: the pid is ping's, for stop()'s SIGINT.
    Process ping = new ProcessBuilder("ip", "netns", "exec", namespace, "ping", "-n", "-i", "0.2", "-W", "2", address)
        .redirectErrorStream(true).redirectOutput(output.toFile()).redirectInput(new File("/dev/null")).start();
    return new PingFlow(ping, output);
  }

  Count stop() throws IOException, InterruptedException {
    // SIGINT, as Ctrl-C: ping exits through its own handler and flushes what it printed (on
    // SIGTERM it would die with its buffered output).
    new ProcessBuilder("kill", "-INT", Long.toString(ping.pid())).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    if (!ping.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException("ping did not end on SIGINT");
    }
    BitSet answered = new BitSet();
    for (String line : Files.readAllLines(output)) {
      Matcher m = REPLY.matcher(line);
      if (m.find()) {
        answered.set(Integer.parseInt(m.group(1)));
      }
    }
    // iputils numbers the requests from 1
    int last = answered.length() - 1;
    if (last < 1) {
      throw new IllegalStateException("ping got no answer at all: " + Files.readString(output));
    }
    return new Count(last, last - answered.get(1, last + 1).cardinality());
  }

  @Override
  public void close() throws IOException {
    ping.destroyForcibly();
    Files.deleteIfExists(output);
  }
}
