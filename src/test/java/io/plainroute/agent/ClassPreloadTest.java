package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassPreloadTest {
  /** Set by Probe's static initialiser: preloading must not run it (the training run runs no agent code). */
  static boolean probeInitialised;

  static class Probe {
    static {
      probeInitialised = true;
    }
  }

  @TempDir
  Path dir;

  @Test
  void loadsTheListedClassesWithoutInitialisingThemAndSkipsUnknownNames() throws IOException {
    Path list = Files.write(dir.resolve("classes.txt"),
        List.of("# a comment", Probe.class.getName(), "", "io.plainroute.agent.NoSuchClass", "java.util.concurrent.Phaser"));

    int loaded = ClassPreload.load(list, getClass().getClassLoader());

    assertThat(loaded).isEqualTo(2);
    assertThat(probeInitialised).isFalse();
  }
}
