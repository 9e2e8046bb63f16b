package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StatusWriteBackoffTest {

  @Test
  void failedWritesAreRetriedSoonerThanTheResyncAndTheBackoffEndsWithASuccess() {
    StatusWriteBackoff backoff = new StatusWriteBackoff();
    Runnable apiServerDown = () -> {
      throw new KubernetesClientException("connection refused");
    };
    assertThat(backoff.attempt(apiServerDown)).contains(Duration.ofMillis(250));
    assertThat(backoff.attempt(apiServerDown)).contains(Duration.ofMillis(500));
    for (int i = 0; i < 10; i++) {
      backoff.attempt(apiServerDown);
    }
    assertThat(backoff.attempt(apiServerDown)).contains(Duration.ofSeconds(5));

    assertThat(backoff.attempt(() -> {})).isEqualTo(Optional.empty());
    assertThat(backoff.attempt(apiServerDown)).as("a new outage starts over").contains(Duration.ofMillis(250));
  }
}
