package io.plainroute.agent;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * Keeps {@code 10-plainroute.conflist} in the runtime's CNI config directory equal to the node's
 * {@link CniConfig}. The runtime may read the file at any moment (it watches the directory), so it
 * never sees a half-written one: the content goes to a temporary file in the same directory,
 * is synced, and is renamed over the old file. An unchanged config is not rewritten, so the
 * runtime sees no event. Other files in the directory are never touched.
 */
public final class CniConfigWriter {

  /** Where containerd and CRI-O look for CNI configs unless told otherwise. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/etc/cni/net.d");
  /** Runtimes use the first config in name order; "10-" is where cluster networks usually sit. */
  public static final String FILE_NAME = "10-plainroute.conflist";

  private static final Logger LOG = Logger.getLogger(CniConfigWriter.class);
  // Runtimes load only *.conf, *.conflist and *.json, so a temporary file ending in .tmp is never
  // mistaken for a config; the dot hides it from a plain ls.
  private static final String TEMP_PREFIX = "." + FILE_NAME + ".";
  private static final String TEMP_SUFFIX = ".tmp";
  private static final FileAttribute<Set<PosixFilePermission>> READABLE_BY_ALL =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--"));

  private final Path directory;
  private final Path file;

  /** A writer for {@code directory/10-plainroute.conflist}; see {@link #DEFAULT_DIRECTORY}. */
  public CniConfigWriter(Path directory) {
    this.directory = directory;
    this.file = directory.resolve(FILE_NAME);
  }

  /** The conflist this writer keeps. */
  public Path file() {
    return file;
  }

  /**
   * Makes the file hold the config, creating the directory when it is missing.
   *
   * @return whether the file was written; false when it already held exactly this config
   */
  public boolean write(CniConfig config) throws IOException {
    byte[] content = config.render().getBytes(UTF_8);
    if (holds(content)) {
      return false;
    }
    Files.createDirectories(directory);
    deleteTemporaryFiles();
    Path temp = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX, READABLE_BY_ALL);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Data on disk before the rename: after a crash the name points at the whole new
        // content or at the old file, never at an empty one.
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    syncDirectory();
    LOG.infof("wrote %s: bridge %s, %s, mtu %d", file, config.bridgeName(), config.ranges().stream()
        .map(r -> "subnet " + r.subnet() + " gateway " + io.plainroute.netlink.IpPrefix.format(r.gateway()))
        .collect(java.util.stream.Collectors.joining(", ")), config.mtu());
    return true;
  }

  /**
   * Removes the file (cleanup mode: pods on this node get no plainroute network any more).
   *
   * @return whether there was a file to remove
   */
  public boolean remove() throws IOException {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    deleteTemporaryFiles();
    boolean removed = Files.deleteIfExists(file);
    if (removed) {
      syncDirectory();
      LOG.infof("removed %s", file);
    }
    return removed;
  }

  private boolean holds(byte[] content) throws IOException {
    return Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), content);
  }

  /** Leftovers of a writer that was killed between creating and renaming its temporary file. */
  private void deleteTemporaryFiles() throws IOException {
    try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
      for (Path leftover : leftovers) {
        Files.deleteIfExists(leftover);
      }
    }
  }

  /** Makes the rename itself durable: it is an update of the directory, not of the file. */
  private void syncDirectory() throws IOException {
    try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
