package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plainroute.testing.Lab;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The lab restarts what a kubelet would (the controller's Deployment, the agents' DaemonSet): a
 * component that exits — killed, or ended by itself like a controller that lost its lease in an
 * API server outage — comes back without anyone running {@code start}; {@code stop} is what keeps
 * one down.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LabSupervisionE2E {
  private static final Duration SOON = Duration.ofSeconds(90);
  private static final Pattern RUNNING = Pattern.compile("running \\(pid (\\d+)\\), supervised");

  private Lab lab;

  @BeforeAll
  void startLab() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: the lab creates network namespaces");
    lab = Lab.up(new Lab.Topology("192.168.1.0/24", 1, List.of("10.244.0.0/16"), 24));
  }

  @AfterAll
  void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void whatExitsIsStartedAgainAndWhatIsStoppedStaysDown() {
    long controller = pid("controller").orElseThrow();
    long agent = pid("agent-node01").orElseThrow();

    lab.lab("kill", "controller");
    lab.lab("kill", "agent", "node01");
    await().atMost(SOON).until(() -> pid("controller").filter(p -> p != controller).isPresent()
        && pid("agent-node01").filter(p -> p != agent).isPresent());
    // The restarted controller does its job: a node that joins now gets a subnet and is Ready.
    lab.lab("node", "add", "node02");
    lab.lab("wait-ready", "120");

    // A controller that ends by itself (SIGTERM: a clean exit, as after losing its lease).
    long second = pid("controller").orElseThrow();
    lab.exec("cp", "kill", "-TERM", Long.toString(second));
    await().atMost(SOON).until(() -> pid("controller").filter(p -> p != second).isPresent());
    assertThat(lab.logs().resolve("controller.log")).content().contains("lab: controller exited with status");

    lab.lab("stop", "agent", "node02");
    assertThat(pid("agent-node02")).isEmpty();
    assertThat(lab.lab("status")).doesNotContain("agent-node02");
    lab.lab("start", "agent", "node02");
    assertThat(pid("agent-node02")).isPresent();
    lab.lab("wait-ready", "120");
  }

  /** The pid `lab.sh status` shows for a supervised, running component. */
  private Optional<Long> pid(String name) {
    return lab.lab("status").lines().filter(l -> l.strip().startsWith(name + " ")).findFirst().map(RUNNING::matcher)
        .filter(Matcher::find).map(m -> Long.parseLong(m.group(1)));
  }
}
