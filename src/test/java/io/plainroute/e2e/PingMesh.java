package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.Lab;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Pings between lab namespaces, eight at a time, every failure reported at once. */
final class PingMesh {

  /** One ping from the namespace {@code from} to {@code address} (of the pod {@code to}). */
  record Probe(String from, String to, String address) {
  }

  private PingMesh() {
  }

  static void assertAllAnswered(Lab lab, List<Probe> probes, String what) throws Exception {
    ConcurrentLinkedQueue<String> failed = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (Probe p : probes) {
        all.add(pool.submit(() -> {
          if (!lab.ping(p.from(), p.address(), 1)) {
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
