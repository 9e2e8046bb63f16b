package io.plainroute.agent;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * When the agent's status writes (its NodeNetwork's status, its Node's NetworkUnavailable) fail
 * for a passing reason — the API server is down or restarting — the pass is run again after this delay, doubling from
 * 250 ms to 5 s, so status catches up within seconds of the API server answering again rather
 * than at the one-minute resync. The kernel work of those passes changes nothing (fail-static).
 */
final class StatusWriteBackoff {
  private static final Logger LOG = Logger.getLogger(StatusWriteBackoff.class);
  static final Duration FIRST = Duration.ofMillis(250);
  static final Duration MAX = Duration.ofSeconds(5);

  private Duration next = Duration.ZERO;

  /**
   * Runs the writes; when the API server cannot be reached or answers that it cannot take them now:
   * when to run the pass again. A refusal that lasts (403 from RBAC or admission, 401, 404, 422)
   * is thrown: the reconciler's error hook reports it on the NodeNetwork, where a person sees it.
   */
  Optional<Duration> attempt(Runnable writes) {
    try {
      writes.run();
    } catch (KubernetesClientException e) {
      if (!passing(e)) {
        succeeded();
        throw e;
      }
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

  /** The API server was unreachable (no HTTP code), busy (429, 5xx) or met a concurrent write (409). */
  static boolean passing(KubernetesClientException e) {
    int code = e.getCode();
    return code <= 0 || code == 409 || code == 429 || code >= 500;
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
