package io.plainroute.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds a status's conditions the Kubernetes way: a condition keeps its lastTransitionTime while
 * its status stays the same, so writing the same facts again changes nothing and causes no write.
 */
public final class ConditionList {
  private final Clock clock;
  private final List<Condition> previous;
  private final List<Condition> next = new ArrayList<>();
  private final long generation;

  public ConditionList(Clock clock, List<Condition> previous, Long generation) {
    this.clock = clock;
    this.previous = previous == null ? List.of() : previous;
    this.generation = generation == null ? 0 : generation;
  }

  public ConditionList set(String type, boolean status, String reason, String message) {
    return set(type, status ? "True" : "False", reason, message);
  }

  /** For the rare {@code Unknown}: when the facts a condition is about cannot be judged. */
  public ConditionList set(String type, String value, String reason, String message) {
    Condition before = previous.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    String since = before != null && value.equals(before.getStatus())
        ? before.getLastTransitionTime()
        : Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
    next.removeIf(c -> type.equals(c.getType()));
    next.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason)
        .withMessage(Objects.requireNonNullElse(message, "")).withObservedGeneration(generation)
        .withLastTransitionTime(since).build());
    return this;
  }

  public List<Condition> build() {
    return List.copyOf(next);
  }
}
