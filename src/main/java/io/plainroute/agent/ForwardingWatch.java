package io.plainroute.agent;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Notices forwarding turned off between passes. Nothing announces a sysctl change over the
 * rtnetlink groups the agent reads, so the switches are read every {@link #PERIOD} (a few file
 * reads) and a pass is asked for whenever they change: one turned off (the pass turns it on
 * again, or reports it), or turned on by a person after the agent could not (the pass reports
 * Ready again). A switch that stays off (a read-only {@code /proc/sys}) does not ask again and
 * again.
 */
final class ForwardingWatch implements AutoCloseable {
  static final Duration PERIOD = Duration.ofMillis(500);
  private static final Logger LOG = Logger.getLogger(ForwardingWatch.class);

  private final NodeDataplane dataplane;
  private final Runnable pass;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "forwarding watch");
    thread.setDaemon(true);
    return thread;
  });
  private Map<Forwarding.Switch, Boolean> last = Map.of();

  ForwardingWatch(NodeDataplane dataplane, Runnable pass) {
    this.dataplane = dataplane;
    this.pass = pass;
  }

  /** Reads the switches as they are now, then watches them for changes. */
  ForwardingWatch start() {
    try {
      last = dataplane.forwardingState();
    } catch (IOException | RuntimeException e) {
      LOG.debugf("could not read the forwarding switches: %s", e.getMessage());
    }
    timer.scheduleWithFixedDelay(this::check, PERIOD.toMillis(), PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void check() {
    try {
      Map<Forwarding.Switch, Boolean> now = dataplane.forwardingState();
      if (!now.equals(last)) {
        LOG.debugf("forwarding changed: %s", now);
        pass.run();
      }
      last = now;
    } catch (IOException | RuntimeException e) {
      LOG.debugf("could not read the forwarding switches: %s", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
