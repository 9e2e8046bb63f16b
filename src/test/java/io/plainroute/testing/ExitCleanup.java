package io.plainroute.testing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One JVM shutdown hook for everything the harness starts, so that a test JVM that exits early
 * (System.exit, Ctrl-C, failsafe timeout) does not leave etcd or operators running. A JVM killed
 * with SIGKILL runs no hook; {@link RunDirectory#sweepStale()} cleans up after that one.
 */
final class ExitCleanup {

  private static final Set<AutoCloseable> OPEN = new LinkedHashSet<>();
  private static boolean hookInstalled;

  private ExitCleanup() {
  }

  static synchronized void register(AutoCloseable resource) {
    if (!hookInstalled) {
      Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::closeAll, "plainroute-test-cleanup"));
      hookInstalled = true;
    }
    OPEN.add(resource);
  }

  static synchronized void unregister(AutoCloseable resource) {
    OPEN.remove(resource);
  }

  private static void closeAll() {
    List<AutoCloseable> open;
    synchronized (ExitCleanup.class) {
      open = new ArrayList<>(OPEN);
    }
    // Newest first: operators started against a control plane go before the plane itself.
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        System.err.println("[plainroute-test] cleanup at exit failed: " + e);
      }
    }
  }
}
