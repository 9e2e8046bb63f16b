package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.agent.DataplaneReport.Part;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FailedPartRetryTest {
  private static final Part OK = new Part(true, "Ready", "ok");
  private static final Part FAILED = new Part(false, "WriteFailed", "read-only file system");

  @Test
  void aPassWithAPartNotAsDesiredIsRunAgainSoonerAndLessOftenEachTime() {
    FailedPartRetry retry = new FailedPartRetry();

    assertThat(retry.after(report(FAILED))).contains(Duration.ofSeconds(2));
    assertThat(retry.after(report(FAILED))).contains(Duration.ofSeconds(4));
    for (int i = 0; i < 10; i++) {
      retry.after(report(FAILED));
    }
    assertThat(retry.after(report(FAILED))).contains(FailedPartRetry.MAX);
  }

  @Test
  void aPassThatFindsEverythingAsDesiredNeedsNoRetryAndStartsTheBackoffAgain() {
    FailedPartRetry retry = new FailedPartRetry();
    retry.after(report(FAILED));
    retry.after(report(FAILED));

    assertThat(retry.after(report(OK))).isEmpty();
    assertThat(retry.after(report(FAILED))).contains(FailedPartRetry.FIRST);
  }

  private static DataplaneReport report(Part cniConfig) {
    return new DataplaneReport(OK, OK, cniConfig, OK, 0, List.of(), Optional.empty(), 0, 0);
  }
}
