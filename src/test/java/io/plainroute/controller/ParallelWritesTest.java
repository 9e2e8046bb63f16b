package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelWritesTest {

  @Test
  void runsTheChainsAtOnceUpToTheBoundAndReturnsWhenAllAreDone() {
    try (ParallelWrites writes = new ParallelWrites(4)) {
      CountDownLatch allFourRunning = new CountDownLatch(4);
      Set<Integer> done = ConcurrentHashMap.newKeySet();
      // Each chain waits until four run at the same time: with fewer threads this would time out.
      writes.forEach(List.of(1, 2, 3, 4), i -> {
        allFourRunning.countDown();
        try {
          assertThat(allFourRunning.await(10, TimeUnit.SECONDS)).as("four chains at once").isTrue();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        done.add(i);
      });
      assertThat(done).containsExactlyInAnyOrder(1, 2, 3, 4);
      assertThat(writes.threads()).isEqualTo(4);
    }
  }

  @Test
  void aChainsFailureReachesTheCallerAsItsOwn() {
    try (ParallelWrites writes = new ParallelWrites(2)) {
      assertThatThrownBy(() -> writes.forEach(List.of(1, 2, 3), i -> {
        if (i == 2) {
          throw new IllegalStateException("claim 2 refused");
        }
      })).isInstanceOf(IllegalStateException.class).hasMessage("claim 2 refused");
    }
  }

  @Test
  void theThreadsOfABurstEndOnceItIsOver() {
    try (ParallelWrites writes = new ParallelWrites(8, Duration.ofSeconds(2))) {
      writes.forEach(IntStream.range(0, 64).boxed().toList(), i -> { });
      assertThat(writes.threads()).isPositive();
      await("the burst's threads ended").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .until(() -> writes.threads() == 0);
      // and the next burst gets threads again
      Set<String> names = ConcurrentHashMap.newKeySet();
      writes.forEach(List.of(1, 2), i -> names.add(Thread.currentThread().getName()));
      assertThat(names).allMatch(n -> n.startsWith("allocation-writes-"));
    }
  }
}
