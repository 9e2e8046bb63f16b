package io.plainroute.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A child process whose stdout and stderr go to a log file, and which is stopped with its descendants. */
final class ManagedProcess {

  private final String name;
  private final Process process;
  private final Path log;

  private ManagedProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command}; output is appended so that a restarted process keeps its history. */
  static ManagedProcess start(String name, List<String> command, Map<String, String> env, Path log) {
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().putAll(env);
    try {
      return new ManagedProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + ": " + command.get(0), e);
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  ProcessHandle handle() {
    return process.toHandle();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  Path log() {
    return log;
  }

  String exitDescription() {
    return process.isAlive() ? "still running" : "exited with code " + process.exitValue();
  }

  List<String> logTail(int lines) {
    return LogFile.tail(log, lines);
  }

  /** SIGTERM to the process and its descendants, SIGKILL to whatever is left after {@code grace}. */
  void stop(Duration grace) {
    List<ProcessHandle> all = withDescendants();
    all.forEach(ProcessHandle::destroy);
    if (!awaitExit(all, grace)) {
      all.forEach(ProcessHandle::destroyForcibly);
      awaitExit(all, Duration.ofSeconds(5));
    }
  }

  /** SIGKILL to the process and its descendants at once, like a crash. */
  void kill() {
    List<ProcessHandle> all = withDescendants();
    all.forEach(ProcessHandle::destroyForcibly);
    awaitExit(all, Duration.ofSeconds(5));
  }

  // Collected before signalling: once the parent is gone its children are re-parented and
  // can no longer be found through it.
  private List<ProcessHandle> withDescendants() {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    return all;
  }

  static boolean awaitExit(List<ProcessHandle> processes, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (ProcessHandle p : processes) {
      long left = Math.max(0, Duration.between(Instant.now(), deadline).toMillis());
      try {
        p.onExit().get(left, java.util.concurrent.TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    return true;
  }
}
