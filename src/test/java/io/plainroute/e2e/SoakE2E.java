package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The short soak of {@code make test}: {@code hack/lab/soak.sh} churns nodes through the lectures'
 * lab for {@code plainroute.soak.minutes} (3) minutes while pods talk, then compares heap, file
 * descriptors, threads, routes and subnets with the start and checks the invariants (no two
 * NodeNetworks overlapping, every live node routed by every other, no stale route). Its figures
 * go to the test output; {@code make soak} runs the same script for 30 minutes.
 */
class SoakE2E {
  private static final int MINUTES = Integer.getInteger("plainroute.soak.minutes", 3);
  /** Joins wait for convergence (up to 2 min each) and the end for a settled cluster. */
  private static final long SLACK_MINUTES = 15;

  @Test
  void nodeChurnLeaksNothingAndKeepsTheInvariants() throws Exception {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    Path output = Files.createTempFile("plainroute-soak-", ".log");
    try (Lab lab = Lab.up(Lab.Topology.lectures())) {
      // Into a file, not inherited: the forked test JVM's own stdout is Surefire's channel.
      Process soak = new ProcessBuilder("bash", Path.of("hack", "lab", "soak.sh").toString(),
          "--name", lab.name(), "--minutes", Integer.toString(MINUTES))
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .redirectInput(new File("/dev/null"))
          .start();
      boolean finished = soak.waitFor(MINUTES + SLACK_MINUTES, TimeUnit.MINUTES);
      if (!finished) {
        soak.descendants().forEach(ProcessHandle::destroyForcibly);
        soak.destroyForcibly().waitFor();
      }
      Files.readAllLines(output).forEach(System.out::println);
      assertThat(finished).as("soak.sh finished within %d min", MINUTES + SLACK_MINUTES).isTrue();
      assertThat(soak.exitValue()).as("soak.sh exit code; its [soak] lines above say what failed").isZero();
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
