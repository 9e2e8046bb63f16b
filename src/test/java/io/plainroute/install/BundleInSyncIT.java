package io.plainroute.install;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/**
 * The committed bundle/ is what {@code make bundle} makes of the current code and config/: run with
 * {@code -Dplainroute.bundle.update=true} (that is what {@code make bundle} does) to rewrite it.
 * An IT because the bundle generator runs in the Quarkus build (package), after unit tests.
 */
class BundleInSyncIT {
  private static final Path COMMITTED = Path.of(System.getProperty("plainroute.bundle", "bundle"));

  @Test
  void committedBundleIsWhatTheBuildGenerates() throws IOException {
    SortedMap<String, String> expected = new BundleFinisher(Path.of("config"), Path.of("crds")).files();
    if (Boolean.getBoolean("plainroute.bundle.update")) {
      for (String stale : BundleFinisher.read(COMMITTED).keySet()) {
        Files.delete(COMMITTED.resolve(stale));
      }
      for (var file : expected.entrySet()) {
        Path target = COMMITTED.resolve(file.getKey());
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      }
    }
    SortedMap<String, String> committed = BundleFinisher.read(COMMITTED);
    assertThat(committed.keySet()).as("files in %s (run `make bundle`)", COMMITTED).isEqualTo(expected.keySet());
    expected.forEach((file, content) -> assertThat(committed.get(file))
        .as("%s drifted from the code and config/: run `make bundle` and commit the result", COMMITTED.resolve(file))
        .isEqualTo(content));
  }
}
