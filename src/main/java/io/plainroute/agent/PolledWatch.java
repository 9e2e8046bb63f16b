package io.plainroute.agent;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Notices a change, between passes, of something plainroute owns on the node that no event the
 * agent reads announces — the masquerade table, which `nft flush ruleset` (a restart of the
 * distribution's nftables service, a firewall reload) removes with everything else. It is read
 * every period and a pass is asked for whenever it differs from the last read: the pass puts it
 * back or reports why it cannot. A state that stays wrong does not ask again and again.
 *
 * @param <T> what is read, compared with {@code equals}
 */
final class PolledWatch<T> implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PolledWatch.class);

  /** Reads the state; any exception is logged and the next period reads again. */
  @FunctionalInterface
  interface Reader<T> {
    T read() throws Exception;
  }

  private final String what;
  private final Duration period;
  private final Reader<T> reader;
  private final Runnable pass;
  private final ScheduledExecutorService timer;
  private T last;

  PolledWatch(String what, Duration period, Reader<T> reader, Runnable pass) {
    this.what = what;
    this.period = period;
    this.reader = reader;
    this.pass = pass;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, what + " watch");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Reads the state as it is now, then watches it for changes. */
  PolledWatch<T> start() {
    last = readOrNull();
    timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    T now = readOrNull();
    if (now != null && !Objects.equals(now, last)) {
      LOG.debugf("%s changed: %s", what, now);
      last = now;
      pass.run();
    }
  }

  private T readOrNull() {
    try {
      return reader.read();
    } catch (Exception e) {
      LOG.debugf("could not read the %s: %s", what, e.getMessage());
      return null;
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
