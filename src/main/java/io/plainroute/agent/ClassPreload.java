package io.plainroute.agent;

import io.plainroute.PlainrouteConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The class-data archive's training run only ({@code plainroute.agent.preload-classes}): loads
 * and links the classes a real agent start loads, without initialising them, so that the JVM writes them
 * into the archive as it exits. The training run has no API server, so without this the archive
 * would miss the ~3,000 classes of the TLS handshake, the first list and watch and the first
 * pass, and every start would load, verify and link them from the jars.
 */
@ApplicationScoped
public class ClassPreload {
  private static final Logger LOG = Logger.getLogger(ClassPreload.class);

  private final PlainrouteConfig config;

  public ClassPreload(PlainrouteConfig config) {
    this.config = config;
  }

  void onStart(@Observes StartupEvent event) {
    config.agent().preloadClasses().map(Path::of).ifPresent(list -> load(list, Thread.currentThread().getContextClassLoader()));
  }

  /** @return how many of the list's classes {@code loader} loaded and linked */
  static int load(Path list, ClassLoader loader) {
    List<String> names;
    try {
      names = Files.readAllLines(list).stream().map(String::strip).filter(n -> !n.isEmpty() && !n.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the class list " + list + " (plainroute.agent.preload-classes)", e);
    }
    int loaded = 0;
    for (String name : names) {
      try {
        // Linked as well (the JVM links a class whose methods are asked for), not initialised:
        // JDK 17 leaves a class of an application class loader out of the archive unless it was
        // linked, and a start links what it uses.
        Class.forName(name, false, loader).getDeclaredMethods();
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        // A class of another build of a dependency: the archive goes without it.
        LOG.debugf("not preloaded: %s (%s)", name, e);
      }
    }
    LOG.infof("preloaded %d of the %d classes in %s", loaded, names.size(), list);
    return loaded;
  }
}
