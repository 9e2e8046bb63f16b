package io.plainroute.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs one write chain per item on a bounded set of threads and waits for all of them: a burst of
 * new nodes costs a few round trips to the API server instead of one round trip per write. The
 * bound keeps a burst from flooding the API server (and its 2 cores in a small cluster).
 */
final class ParallelWrites implements AutoCloseable {
  private final ExecutorService threads;

  ParallelWrites(int parallelism) {
    AtomicInteger count = new AtomicInteger();
    ThreadFactory factory = r -> {
      Thread thread = new Thread(r, "allocation-writes-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
    this.threads = Executors.newFixedThreadPool(parallelism, factory);
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
