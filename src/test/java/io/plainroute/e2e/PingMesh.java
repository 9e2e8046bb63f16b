package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.Lab;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Pings between lab namespaces, eight at a time, every failure reported at once. A pair that does
 * not answer is asked again until {@link #DEADLINE}: a node that has just taken the address of one
 * deleted a moment ago is only reached once its peers' neighbour caches learn its MAC (up to the
 * kernel's 5 s delay-probe time), which is the LAN's doing, not plainroute's.
 */
final class PingMesh {

  /** One ping from the namespace {@code from} to {@code address} (of the pod {@code to}). */
  record Probe(String from, String to, String address) {
  }

  private static final Duration DEADLINE = Duration.ofSeconds(20);

  private PingMesh() {
  }

  private static boolean answers(Lab lab, Probe p) {
    Instant until = Instant.now().plus(DEADLINE);
    while (!lab.ping(p.from(), p.address(), 1)) {
      if (Instant.now().isAfter(until)) {
        return false;
      }
    }
    return true;
  }

  static void assertAllAnswered(Lab lab, List<Probe> probes, String what) throws Exception {
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (Probe p : probes) {
        all.add(pool.submit(() -> {
          if (!answers(lab, p)) {
            failed.add(p.from() + " -> " + p.to() + " (" + p.address() + ")");
          }
        }));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(failed).as("pod pairs that could not reach each other, of %d %s", probes.size(), what).isEmpty();
  }
}
