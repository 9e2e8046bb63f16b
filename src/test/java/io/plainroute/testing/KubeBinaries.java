package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the Kubernetes binaries that hack/k8s/build.sh compiles, in this order: system property
 * {@code plainroute.k8s.bin}, env {@code PLAINROUTE_K8S_BIN}, then the build script's own cache
 * location for the K8S_VERSION pinned in hack/k8s/versions.env.
 */
public final class KubeBinaries {

  public static final String BIN_PROPERTY = "plainroute.k8s.bin";
  public static final String BIN_ENV = "PLAINROUTE_K8S_BIN";
  private static final Path VERSIONS_ENV = Path.of("hack", "k8s", "versions.env");

  private final Path dir;
  private final String origin;

  private KubeBinaries(Path dir, String origin) {
    this.dir = dir;
    this.origin = origin;
  }

  public static KubeBinaries locate() {
    String property = System.getProperty(BIN_PROPERTY, "");
    if (!property.isBlank()) {
      return new KubeBinaries(Path.of(property), "system property " + BIN_PROPERTY);
    }
    String env = System.getenv().getOrDefault(BIN_ENV, "");
    if (!env.isBlank()) {
      return new KubeBinaries(Path.of(env), "env " + BIN_ENV);
    }
    String version = pinnedVersion().orElseThrow(() -> new IllegalStateException(
        "Kubernetes binaries not configured: set -D" + BIN_PROPERTY + " or " + BIN_ENV
            + ", or run from inside the project so " + VERSIONS_ENV + " is found"));
    return new KubeBinaries(cacheDir().resolve("k8s").resolve(version).resolve("bin"),
        "default cache location for " + version);
  }

  /** K8S_VERSION from hack/k8s/versions.env, searched from the working directory upwards. */
  public static Optional<String> pinnedVersion() {
    for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
      Path file = d.resolve(VERSIONS_ENV);
      if (Files.isRegularFile(file)) {
        return readVersion(file);
      }
    }
    return Optional.empty();
  }

  private static Optional<String> readVersion(Path versionsEnv) {
    try {
      return Files.readAllLines(versionsEnv).stream()
          .map(String::strip)
          .filter(line -> line.startsWith("K8S_VERSION="))
          .map(line -> line.substring("K8S_VERSION=".length()).replace("\"", "").strip())
          .findFirst();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  // Mirrors hack/k8s/goenv.sh so that the tests find what the build script produced.
  private static Path cacheDir() {
    String plainrouteCache = System.getenv().getOrDefault("PLAINROUTE_CACHE", "");
    if (!plainrouteCache.isBlank()) {
      return Path.of(plainrouteCache);
    }
    String xdg = System.getenv().getOrDefault("XDG_CACHE_HOME", "");
    Path base = xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".cache") : Path.of(xdg);
    return base.resolve("plainroute");
  }

  public Path dir() {
    return dir;
  }

  public Path etcd() {
    return binary("etcd");
  }

  public Path kubeApiServer() {
    return binary("kube-apiserver");
  }

  public Path kubeControllerManager() {
    return binary("kube-controller-manager");
  }

  public Path kubectl() {
    return binary("kubectl");
  }

  private Path binary(String name) {
    Path path = dir.resolve(name);
    if (!Files.isExecutable(path)) {
      throw new IllegalStateException(name + " not found (or not executable) in " + dir
          + " (from " + origin + "). Run hack/k8s/build.sh to build the Kubernetes binaries;"
          + " `make test` builds them too.");
    }
    return path;
  }
}
