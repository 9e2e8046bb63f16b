package io.plainroute.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandTest {

  @Test
  void aCommandThatHangsIsKilledWithItsChildrenWhenTheTimeoutPasses() {
    // The shell prints its child's pid, then waits for a child that would outlive any test.
    Command hanging = Command.of("sh", "-c", "sleep 300 & echo $!; wait").timeout(Duration.ofSeconds(1));

    Throwable thrown = catchThrowable(hanging::run);

    assertThat(thrown).isInstanceOf(Command.TimedOut.class).hasMessageContaining("did not finish within 1 s");
    long child = Long.parseLong(thrown.getMessage().lines().filter(l -> l.startsWith("stdout: ")).findFirst()
        .orElseThrow().substring("stdout: ".length()).strip());
    await().atMost(Duration.ofSeconds(10)).until(() -> ProcessHandle.of(child).map(p -> !p.isAlive()).orElse(true));
  }

  @Test
  void outputLargerThanAPipeDoesNotStallTheCommand() {
    // 1 MiB on each stream: read only after the wait, a pipe (64 KiB) would block the writer.
    Command.Result result = Command.of("sh", "-c", "head -c 1048576 /dev/zero; head -c 1048576 /dev/zero >&2")
        .timeout(Duration.ofSeconds(30)).run();

    assertThat(result.ok()).isTrue();
    assertThat(result.stdout()).hasSize(1_048_576);
    assertThat(result.stderr()).hasSize(1_048_576);
  }

  @Test
  void stdinIsFedAndAFailureSaysWhatTheCommandSaid() {
    assertThat(Command.of("cat").input("hello\n").run().orThrow()).isEqualTo("hello\n");

    Command.Result failed = Command.of("sh", "-c", "echo out; echo err >&2; exit 3").run();
    assertThat(failed.exitCode()).isEqualTo(3);
    assertThatThrownBy(failed::orThrow).isInstanceOf(Command.Failed.class)
        .hasMessageContaining("exited with 3").hasMessageContaining("stdout: out").hasMessageContaining("stderr: err");
    assertThat(Command.of("sh", "-c", "echo out; echo err >&2").mergeErrors().run().stdout()).isEqualTo("out\nerr\n");
  }
}
