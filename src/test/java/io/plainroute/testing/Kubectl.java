package io.plainroute.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The kubectl built with the control plane, pointed at one kubeconfig. */
public final class Kubectl {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private final Path binary;
  private final Path kubeconfig;
  private final Path cacheDirectory;

  /**
   * @param cacheDirectory kubectl's discovery cache: kept out of $HOME, and one per control plane
   *     since every one has a new port
   */
  public Kubectl(Path binary, Path kubeconfig, Path cacheDirectory) {
    this.binary = binary;
    this.kubeconfig = kubeconfig;
    this.cacheDirectory = cacheDirectory;
  }

  /** {@code kubectl ARGS}; a non-zero exit is returned, not thrown ({@link KubectlResult#orThrow()}). */
  public KubectlResult run(String... args) {
    return runWithInput(null, args);
  }

  /** Like {@link #run(String...)}, with {@code stdin} fed to it (for {@code -f -}). */
  public KubectlResult runWithInput(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of(binary.toString(),
        "--kubeconfig=" + kubeconfig, "--cache-dir=" + cacheDirectory));
    command.addAll(Arrays.asList(args));
    Command.Result result = Command.of(command).input(stdin).timeout(TIMEOUT).run();
    return new KubectlResult(result.exitCode(), result.stdout(), result.stderr());
  }
}
