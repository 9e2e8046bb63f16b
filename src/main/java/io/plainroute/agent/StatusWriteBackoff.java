package io.plainroute.agent;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * When the agent's status writes (its NodeNetwork's status, its Node's NetworkUnavailable) fail —
 * the API server is down or restarting — the pass is run again after this delay, doubling from
 * 250 ms to 5 s, so status catches up within seconds of the API server answering again rather
 * than at the one-minute resync. The kernel work of those passes changes nothing (fail-static).
 */
final class StatusWriteBackoff {
  private static final Logger LOG = Logger.getLogger(StatusWriteBackoff.class);
  static final Duration FIRST = Duration.ofMillis(250);
  static final Duration MAX = Duration.ofSeconds(5);

  private Duration next = Duration.ZERO;

  /** Runs the writes; when the API server refuses or cannot be reached: when to run the pass again. */
  Optional<Duration> attempt(Runnable writes) {
    try {
      writes.run();
    } catch (KubernetesClientException e) {
      Duration next = failed();
      if (next.equals(FIRST)) {
        LOG.warnf("could not write status (%s); retrying with backoff", e.getMessage());
      }
      return Optional.of(next);
    }
    if (succeeded()) {
      LOG.info("status written again");
    }
    return Optional.empty();
  }

  /** A write failed: how long to wait before the next attempt. */
  synchronized Duration failed() {
    next = next.isZero() ? FIRST : next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
    return next;
  }

  /** @return whether earlier writes had failed (the outage is over) */
  synchronized boolean succeeded() {
    boolean wasFailing = !next.isZero();
    next = Duration.ZERO;
    return wasFailing;
  }
}
