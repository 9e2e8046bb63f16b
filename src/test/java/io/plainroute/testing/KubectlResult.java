package io.plainroute.testing;

/** What a kubectl invocation returned; stderr is kept apart so that -o json output stays parseable. */
public record KubectlResult(int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** Returns stdout, or fails with everything kubectl said if it did not exit with 0. */
  public String orThrow() {
    if (!succeeded()) {
      throw new IllegalStateException("kubectl exited with " + exitCode + "\nstdout: " + stdout
          + "\nstderr: " + stderr);
    }
    return stdout;
  }
}
