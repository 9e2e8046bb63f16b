package io.plainroute;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The package rules of ARCHITECTURE.md, checked on the main sources' imports. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/io/plainroute");
  private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.plainroute\\.([a-z0-9.]*?)\\.?[A-Z]",
      Pattern.MULTILINE);
  /** Which packages each may import, besides itself; "" is the root package. */
  private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
      Map.entry("", Set.of()),
      Map.entry("api.v1alpha1", Set.of()),
      Map.entry("ipam", Set.of()),
      Map.entry("status", Set.of()),
      Map.entry("install", Set.of("")),
      Map.entry("controller", Set.of("", "api.v1alpha1", "ipam", "status", "install")),
      Map.entry("agent", Set.of("", "api.v1alpha1", "ipam", "status", "netlink", "nftables", "netns")),
      Map.entry("netlink", Set.of("netlink.nl", "netns")),
      Map.entry("netlink.nl", Set.of()),
      Map.entry("netns", Set.of()),
      Map.entry("nftables", Set.of("netlink", "netns")));

  @Test
  void packagesImportOnlyWhatTheArchitectureAllows() throws IOException {
    List<String> violations = new ArrayList<>();
    try (Stream<Path> sources = Files.walk(MAIN)) {
      sources.filter(path -> path.toString().endsWith(".java")).forEach(source -> {
        String from = MAIN.relativize(source.getParent()).toString().replace('/', '.');
        Matcher imports = IMPORT.matcher(read(source));
        while (imports.find()) {
          String to = imports.group(1);
          if (!to.equals(from) && !ALLOWED.getOrDefault(from, Set.of()).contains(to)) {
            violations.add(source + " imports io.plainroute." + to);
          }
        }
      });
    }
    assertThat(violations).as("imports against ARCHITECTURE.md").isEmpty();
  }

  @Test
  void everyPackageIsDescribed() throws IOException {
    try (Stream<Path> sources = Files.walk(MAIN)) {
      assertThat(sources.filter(path -> path.toString().endsWith(".java"))
          .map(source -> MAIN.relativize(source.getParent()).toString().replace('/', '.')).distinct())
          .allSatisfy(name -> assertThat(ALLOWED).as("ARCHITECTURE.md and this test name every package")
              .containsKey(name));
    }
  }

  private static String read(Path source) {
    try {
      return Files.readString(source);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
