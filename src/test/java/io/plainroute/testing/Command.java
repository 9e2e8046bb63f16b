package io.plainroute.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command to its end, with a timeout that fires: stdout and stderr go to files (never
 * pipes that must be drained before the wait), so a command that hangs or never closes its output
 * is killed, with its descendants, when the timeout passes. The harness's one way to run a
 * short-lived tool ({@code ip}, {@code nft}, {@code kubectl}, {@code lab.sh}, a CNI plugin).
 *
 * <pre>{@code
 * String routes = Command.of("ip", "-n", ns, "route").run().orThrow();
 * Command.Result r = Command.of("nft", "-f", "-").input(script).timeout(Duration.ofSeconds(10)).run();
 * }</pre>
 */
public final class Command {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private final List<String> argv;
  private final Map<String, String> env = new LinkedHashMap<>();
  private String input;
  private Duration timeout = DEFAULT_TIMEOUT;
  private boolean mergeErrors;

  private Command(List<String> argv) {
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least a program");
    }
    this.argv = List.copyOf(argv);
  }

  public static Command of(String... argv) {
    return new Command(List.of(argv));
  }

  public static Command of(List<String> argv) {
    return new Command(argv);
  }

  /** What the command reads on stdin (else /dev/null). */
  public Command input(String stdin) {
    this.input = stdin;
    return this;
  }

  /** More environment variables, on top of the test JVM's. */
  public Command env(String key, String value) {
    env.put(key, value);
    return this;
  }

  public Command env(Map<String, String> more) {
    env.putAll(more);
    return this;
  }

  public Command timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  /** stderr into stdout, interleaved as written ({@link Result#stderr()} is then empty). */
  public Command mergeErrors() {
    this.mergeErrors = true;
    return this;
  }

  /** The command line, for messages. */
  public String display() {
    return String.join(" ", argv);
  }

  /**
   * Runs to the end and returns how it went, whatever its exit code; throws {@link TimedOut}
   * when it did not end within the timeout (it has then been killed).
   */
  public Result run() {
    Path out = null;
    Path err = null;
    Path in = null;
    try {
      out = Files.createTempFile("plainroute-cmd-", ".out");
      err = Files.createTempFile("plainroute-cmd-", ".err");
      ProcessBuilder builder = new ProcessBuilder(argv).redirectOutput(out.toFile());
      if (mergeErrors) {
        builder.redirectErrorStream(true);
      } else {
        builder.redirectError(err.toFile());
      }
      if (input != null) {
        in = Files.createTempFile("plainroute-cmd-", ".in");
        Files.writeString(in, input, StandardCharsets.UTF_8);
        builder.redirectInput(in.toFile());
      } else {
        builder.redirectInput(new File("/dev/null"));
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        ManagedProcess.awaitExit(all, Duration.ofSeconds(5));
        throw new TimedOut(display() + " did not finish within " + timeout.toSeconds() + " s and was killed"
            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
      }
      return new Result(display(), process.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + display(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + display(), e);
    } finally {
      for (Path p : new Path[] {out, err, in}) {
        deleteQuietly(p);
      }
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file; the machine's tmp cleaner takes it
      }
    }
  }

  /** Exit code and output of a finished command. */
  public record Result(String command, int exitCode, String stdout, String stderr) {
    public boolean ok() {
      return exitCode == 0;
    }

    /** stdout, or an exception with everything the command said when it did not exit with 0. */
    public String orThrow() {
      if (!ok()) {
        throw new Failed(this);
      }
      return stdout;
    }
  }

  /** A command exited with a code other than 0. */
  public static final class Failed extends IllegalStateException {
    Failed(Result result) {
      super(result.command() + " exited with " + result.exitCode() + "\nstdout: " + result.stdout()
          + "\nstderr: " + result.stderr());
    }
  }

  /** A command did not end within its timeout. */
  public static final class TimedOut extends IllegalStateException {
    TimedOut(String message) {
      super(message);
    }
  }
}
