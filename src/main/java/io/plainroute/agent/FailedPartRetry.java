package io.plainroute.agent;

import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * When a pass leaves a part of the dataplane not as desired (a CNI directory that was read-only, a
 * sysctl that could not be written, a bridge the kernel refused), the pass is run again after this
 * delay, doubling from 2 s to 30 s, instead of at the one-minute resync: many of these causes go
 * away without any event the agent could watch (a remount, a file system that was full), and the
 * node's pods stay cut off until the next pass notices. Passes that find everything as desired
 * reset it.
 */
final class FailedPartRetry {
  static final Duration FIRST = Duration.ofSeconds(2);
  static final Duration MAX = Duration.ofSeconds(30);

  private Duration next = Duration.ZERO;

  /** When to run the pass again, if any part of {@code report} is not as desired. */
  synchronized Optional<Duration> after(DataplaneReport report) {
    boolean failed = Stream.of(report.bridge(), report.routes(), report.cniConfig(), report.masquerade()).anyMatch(p -> !p.ok());
    if (!failed) {
      next = Duration.ZERO;
      return Optional.empty();
    }
    next = next.isZero() ? FIRST : next.multipliedBy(2).compareTo(MAX) > 0 ? MAX : next.multipliedBy(2);
    return Optional.of(next);
  }
}
