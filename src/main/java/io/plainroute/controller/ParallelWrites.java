package io.plainroute.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one write chain per item on a bounded set of threads and waits for all of them: a burst of
 * new nodes costs a few round trips to the API server instead of one round trip per write. The
 * bound keeps a burst from flooding the API server (and its 2 cores in a small cluster). The threads
 * end after {@link #IDLE} without work: bursts are rare, and a controller that kept a burst's 64
 * threads for good carried them (stacks and all) through every quiet hour after it.
 */
final class ParallelWrites implements AutoCloseable {
  static final Duration IDLE = Duration.ofSeconds(30);
  private final ThreadPoolExecutor threads;

  ParallelWrites(int parallelism) {
    this(parallelism, IDLE);
  }

  ParallelWrites(int parallelism, Duration idle) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread thread = new Thread(r, "allocation-writes-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.threads = new ThreadPoolExecutor(parallelism, parallelism, idle.toMillis(), TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), factory);
    threads.allowCoreThreadTimeOut(true);
  }

  /** Threads alive now, busy or idle. */
  int threads() {
    return threads.getPoolSize();
  }

  /** Runs {@code chain} for every item, at most {@code parallelism} at once; returns when all are done. */
  <T> void forEach(List<T> items, Consumer<T> chain) {
    if (items.size() == 1) {
      chain.accept(items.get(0));
      return;
    }
    List<CompletableFuture<Void>> running = new ArrayList<>(items.size());
    for (T item : items) {
      running.add(CompletableFuture.runAsync(() -> chain.accept(item), threads));
    }
    try {
      CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      // A chain's own failure, as if it had run on the caller's thread.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
