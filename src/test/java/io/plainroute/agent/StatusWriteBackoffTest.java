package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

  @Test
  void aLastingRefusalIsThrownForTheErrorHookNotRetriedSilently() {
    StatusWriteBackoff backoff = new StatusWriteBackoff();
    KubernetesClientException forbidden = new KubernetesClientException("nodes \"node01\" is forbidden", 403, null);
    assertThatThrownBy(() -> backoff.attempt(() -> {
      throw forbidden;
    })).isSameAs(forbidden);
    KubernetesClientException unavailable = new KubernetesClientException("service unavailable", 503, null);
    assertThat(backoff.attempt(() -> {
      throw unavailable;
    })).contains(Duration.ofMillis(250));
  }
}
