package io.plainroute.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hack/lab/lib/procs.sh tells the lab's processes from others by their command line, which reads
 * empty for a moment while a process execs. A component is started through four execs (ip netns
 * exec, env, sh, java), and lab.sh polls it all along while it waits for its "started" line: a
 * live process taken for dead there failed one lab start-up in thirteen with "controller exited"
 * and an empty log. Here a process execs itself thousands of times while proc_is_ours is asked
 * about it again and again: it must never be taken for dead while it lives.
 */
class LabProcessesTest {
  private static final Path PROCS = Path.of("hack", "lab", "lib", "procs.sh").toAbsolutePath();

  /**
   * Another lab whose name starts with this one's ("demo" and "demo2") is not this lab's: `down`
   * SIGKILLs every process its test says is ours.
   */
  @Test
  void aLabWhoseNameExtendsOursIsNotOurs(@TempDir Path dir) throws Exception {
    String check = """
        STATE=%1$s/demo
        source %2$s
        for args in "%1$s/demo" "-Dplainroute-lab.dir=%1$s/demo" "%1$s/demo/logs/x.log" "x; : %1$s/demo"; do
          cmdline_mentions_lab <(printf '%%s\\0' sh "$args") || echo "not ours: $args"
        done
        for args in "%1$s/demo2" "-Dplainroute-lab.dir=%1$s/demo2" "%1$s/demo2/logs/x.log" "%1$s/demox=1"; do
          cmdline_mentions_lab <(printf '%%s\\0' sh "$args") && echo "ours: $args"
        done
        true
        """.formatted(dir, PROCS);
    assertThat(runBash(check, dir.resolve("out"))).as("command lines misjudged").isEmpty();
  }

  @Test
  void aProcessThatExecsIsNeverTakenForDead(@TempDir Path dir) throws Exception {
    Path reexec = dir.resolve("reexec.sh");
    Files.writeString(reexec, """
        #!/bin/sh
        # execs itself N times, its arguments naming the lab directory throughout; then waits
        n=$1; shift
        [ "$n" -gt 0 ] && exec "$0" $((n - 1)) "$@"
        exec sleep 5
        """);
    assertThat(reexec.toFile().setExecutable(true)).isTrue();
    String poll = """
        STATE=%s
        source %s
        %s 3000 "-Dplainroute-lab.dir=$STATE" &
        pid=$!
        checks=0 dead=0
        until grep -q sleep /proc/$pid/comm 2>/dev/null || [ ! -d /proc/$pid ]; do
          checks=$((checks + 1))
          proc_is_ours "$pid" || grep -q sleep /proc/$pid/comm 2>/dev/null || dead=$((dead + 1))
        done
        kill $pid 2>/dev/null
        echo "$checks $dead"
        """.formatted(dir.resolve("lab"), PROCS, reexec);
    String out = runBash(poll, dir.resolve("out"));
    String[] checksDead = out.strip().split("\\s+");
    assertThat(Integer.parseInt(checksDead[0])).as("checks made while it exec'd: " + out).isPositive();
    assertThat(Integer.parseInt(checksDead[1])).as("checks that took the live process for dead, of %s", checksDead[0]).isZero();
  }

  /** Runs a bash script with a deadline; returns what it printed. */
  private static String runBash(String script, Path out) throws Exception {
    Process bash = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).redirectOutput(out.toFile())
        .redirectInput(new File("/dev/null")).start();
    boolean ended = bash.waitFor(2, TimeUnit.MINUTES);
    if (!ended) {
      bash.descendants().forEach(ProcessHandle::destroyForcibly);
      bash.destroyForcibly();
    }
    assertThat(ended).as("the script ended within 2 min").isTrue();
    return Files.readString(out);
  }
}
