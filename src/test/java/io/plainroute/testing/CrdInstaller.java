package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Installs CustomResourceDefinitions from a directory of YAML files and waits until they serve. */
public final class CrdInstaller {
  private static final String CRD_PREFIX = "customresourcedefinition.apiextensions.k8s.io/";

  private CrdInstaller() {
  }

  /**
   * Applies every *.yaml / *.yml file in {@code crdDir} and waits until each CustomResourceDefinition
   * among them is Established, so that its resources can be used right away. Returns the CRD names.
   */
  public static List<String> install(Kubectl kubectl, Path crdDir) {
    List<Path> files = yamlFiles(crdDir);
    if (files.isEmpty()) {
      return List.of();
    }
    List<String> apply = new ArrayList<>(List.of("apply", "--server-side", "--force-conflicts", "-o", "name"));
    files.forEach(f -> apply.addAll(List.of("-f", f.toString())));
    List<String> crds = kubectl.run(apply.toArray(String[]::new)).orThrow().lines()
        .filter(line -> line.startsWith(CRD_PREFIX))
        .toList();
    if (!crds.isEmpty()) {
      List<String> wait = new ArrayList<>(List.of("wait", "--for=condition=Established", "--timeout=60s"));
      wait.addAll(crds);
      kubectl.run(wait.toArray(String[]::new)).orThrow();
    }
    System.out.printf("[plainroute-cp] %d CRDs established from %s%n", crds.size(), crdDir);
    return crds.stream().map(crd -> crd.substring(CRD_PREFIX.length())).toList();
  }

  static List<Path> yamlFiles(Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(dir)) {
      return list.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
          .filter(Files::isRegularFile)
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
