package io.plainroute.agent;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The pass that follows repairs made straight from kernel notifications, for the status and as a
 * check: one pass {@link #DELAY} after the first repair of a burst, not one per repair. A repair
 * changes neither the status (the route count is the same) nor the metrics (the repair counted
 * itself), so nothing waits for it; a pass per repair would only compete with the next repair
 * for the netlink socket, the CPU and the heap.
 */
final class FollowUpPass implements Runnable, AutoCloseable {
  static final Duration DELAY = Duration.ofSeconds(1);

  private final Runnable pass;
  private final AtomicBoolean pending = new AtomicBoolean();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "follow-up pass");
    thread.setDaemon(true);
    return thread;
  });

  FollowUpPass(Runnable pass) {
    this.pass = pass;
  }

  /** Asks for the pass, unless one is already due. */
  @Override
  public void run() {
    if (pending.compareAndSet(false, true)) {
      timer.schedule(() -> {
        pending.set(false);
        pass.run();
      }, DELAY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
