package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.netlink.Ipv4Prefix;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CNI config removed or edited by someone else is written back at once, not at the next resync. */
class CniConfigWatchTest {
  private static final CniConfig CONFIG = new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.1.0/24"),
      Ipv4Prefix.parseAddress("10.244.1.1"));

  @TempDir
  Path dir;

  @Test
  void aRemovedOrEditedConfigIsWrittenBack() throws Exception {
    CniConfigWriter writer = new CniConfigWriter(dir.resolve("net.d"));
    Runnable pass = () -> {
      try {
        writer.write(CONFIG);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
    try (CniConfigWatch watch = CniConfigWatch.start(writer.file(), pass)) {
      pass.run();
      String written = Files.readString(writer.file());

      Files.delete(writer.file());
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(writer.file()));

      Files.writeString(writer.file(), "{}");
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
          .until(() -> Files.readString(writer.file()).equals(written));
      assertThat(Files.readString(writer.file())).contains("10.244.1.0/24");
    }
  }
}
