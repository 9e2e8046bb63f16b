package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * A temporary directory owned by this JVM. The owner's pid and start time are recorded inside, so
 * that a later run can tell the directory of a JVM that died without cleaning up (kill -9, OOM,
 * a cancelled CI job) from one that is still in use by a parallel run, and sweep it.
 */
final class RunDirectory {

  static final List<String> PREFIXES = List.of("plainroute-cp-", "plainroute-op-");
  private static final String OWNER_FILE = "owner";
  // A directory without an owner file may be one another JVM is creating right now.
  private static final Duration UNOWNED_GRACE = Duration.ofMinutes(1);
  private static final AtomicBoolean SWEPT = new AtomicBoolean();

  private final Path path;

  private RunDirectory(Path path) {
    this.path = path;
  }

  static RunDirectory create(String prefix, String name) {
    if (SWEPT.compareAndSet(false, true)) {
      sweepStale();
    }
    try {
      Path dir = Files.createTempDirectory(prefix + sanitize(name) + "-");
      ProcessHandle self = ProcessHandle.current();
      long started = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      Files.writeString(dir.resolve(OWNER_FILE), self.pid() + " " + started + "\n");
      return new RunDirectory(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String child) {
    return path.resolve(child);
  }

  void delete() {
    deleteRecursively(path);
  }

  /** True if {@code cmdline} (NUL-separated, as in /proc) has an argument inside this directory. */
  static boolean mentions(byte[] cmdline, Path dir) {
    String d = dir.toString();
    for (String arg : new String(cmdline, StandardCharsets.UTF_8).split("\0")) {
      if (arg.contains(d + "/") || arg.endsWith(d)) {
        return true;
      }
    }
    return false;
  }

  /** Kills what is still running from run directories of dead JVMs and deletes those directories. */
  static void sweepStale() {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, RunDirectory::isRunDirectory)) {
      for (Path dir : dirs) {
        if (isStale(dir)) {
          List<ProcessHandle> leftovers = processesMentioning(dir);
          leftovers.forEach(ProcessHandle::destroyForcibly);
          ManagedProcess.awaitExit(leftovers, Duration.ofSeconds(5));
          deleteRecursively(dir);
          System.out.printf("[plainroute-test] swept stale run %s (%d leftover processes killed)%n",
              dir, leftovers.size());
        }
      }
    } catch (IOException e) {
      System.out.println("[plainroute-test] could not sweep stale runs in " + tmp + ": " + e);
    }
  }

  private static boolean isRunDirectory(Path p) {
    String name = p.getFileName().toString();
    return Files.isDirectory(p) && PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static boolean isStale(Path dir) throws IOException {
    Path owner = dir.resolve(OWNER_FILE);
    if (!Files.exists(owner)) {
      Instant modified = Files.getLastModifiedTime(dir).toInstant();
      return modified.isBefore(Instant.now().minus(UNOWNED_GRACE));
    }
    String[] fields = Files.readString(owner).strip().split(" ");
    long pid = Long.parseLong(fields[0]);
    long started = fields.length > 1 ? Long.parseLong(fields[1]) : 0L;
    Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    // A live pid with a different start time is a recycled pid, so the owner is gone.
    boolean ownerAlive = handle.isPresent() && (started == 0L
        || handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(started) == started);
    return !ownerAlive;
  }

  private static List<ProcessHandle> processesMentioning(Path dir) {
    List<ProcessHandle> found = new ArrayList<>();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(p -> {
            try {
              if (mentions(Files.readAllBytes(p.resolve("cmdline")), dir)) {
                ProcessHandle.of(Long.parseLong(p.getFileName().toString())).ifPresent(found::add);
              }
            } catch (IOException | RuntimeException gone) {
              // the process exited while we looked, or is not ours to read
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return found;
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sanitize(String name) {
    return name.replaceAll("[^A-Za-z0-9_.-]", "_");
  }
}
