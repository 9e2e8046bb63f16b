package io.plainroute.agent;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.jboss.logging.Logger;

/**
 * Notices the CNI config file changed or removed by someone else (inotify, through the JDK's
 * WatchService), so that a pass writes it back at once rather than at the next resync: without it
 * the container runtime cannot attach a single new pod, while CNIConfigReady still reads True.
 * The agent's own writes (a temp file renamed over it) also wake it; the pass they cause finds
 * the file as desired and writes nothing, so there is no loop.
 */
final class CniConfigWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CniConfigWatch.class);

  private final Path file;
  private final Runnable pass;
  private final WatchService watcher;
  private final Thread thread;

  private CniConfigWatch(Path file, Runnable pass, WatchService watcher) {
    this.file = file;
    this.pass = pass;
    this.watcher = watcher;
    this.thread = new Thread(this::watch, "cni config watch");
    thread.setDaemon(true);
  }

  /** Watches the directory of {@code file}, creating it when missing (the writer would anyway). */
  static CniConfigWatch start(Path file, Runnable pass) throws IOException {
    Files.createDirectories(file.getParent());
    WatchService watcher = FileSystems.getDefault().newWatchService();
    try {
      file.getParent().register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
          StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | RuntimeException e) {
      watcher.close();
      throw e;
    }
    CniConfigWatch watch = new CniConfigWatch(file, pass, watcher);
    watch.thread.start();
    return watch;
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        boolean ours = false;
        for (WatchEvent<?> event : key.pollEvents()) {
          ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || file.getFileName().equals(event.context());
        }
        key.reset();
        if (ours) {
          pass.run();
        }
      }
    } catch (ClosedWatchServiceException | InterruptedException e) {
      LOG.debugf("stopped watching %s", file);
    }
  }

  @Override
  public void close() throws IOException {
    watcher.close();
  }
}
