package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Loading the library: found by its Debian name, or a message that says what to install. */
class LibnftablesTest {

  @Test
  void aMissingLibraryNamesThePackageToInstall() {
    assertThatThrownBy(() -> Libnftables.load("plainroute-no-such-library"))
        .isInstanceOf(NftablesException.class)
        .hasMessageStartingWith("libnftables could not be loaded")
        .hasMessageEndingWith("install the Debian package libnftables1 (apt-get install libnftables1)");
  }

  @Test
  void theInstalledLibraryIsFoundWithoutTheDevelopmentPackage() throws Exception {
    // Debian's libnftables1 ships only libnftables.so.1; the unversioned link is in -dev.
    assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libnftables.so.1")), "needs libnftables1");

    assertThat(Libnftables.api()).isNotNull();
  }
}
