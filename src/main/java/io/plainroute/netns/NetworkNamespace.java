package io.plainroute.netns;

import static io.plainroute.netns.NamespaceCalls.check;
import static io.plainroute.netns.NamespaceCalls.libc;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A network namespace that a netlink handle or an nftables context works in: the current one, or
 * one created by {@code ip netns add NAME}.
 */
public final class NetworkNamespace {
  private static final Path IP_NETNS_DIRECTORY = Path.of("/var/run/netns");
  private static final NetworkNamespace CURRENT = new NetworkNamespace(null);

  private final Path path;

  private NetworkNamespace(Path path) {
    this.path = path;
  }

  /** The namespace of the thread that opens the handle. */
  public static NetworkNamespace current() {
    return CURRENT;
  }

  /** A namespace created with {@code ip netns add NAME}: the file {@code /var/run/netns/NAME}. */
  public static NetworkNamespace named(String name) {
    if (name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException("'" + name + "' is not a network namespace name");
    }
    return new NetworkNamespace(IP_NETNS_DIRECTORY.resolve(name));
  }

  /** The namespace's file, empty for the current namespace. */
  public Optional<Path> path() {
    return Optional.ofNullable(path);
  }

  /**
   * Moves the calling thread into this namespace ({@code setns}). Only that thread moves: the
   * JVM's other threads stay where they are.
   */
  void enter() throws NamespaceException {
    if (path == null) {
      return;
    }
    int fd = check(libc().open(path.toString(), NamespaceCalls.O_RDONLY | NamespaceCalls.O_CLOEXEC), "open " + path);
    try {
      check(libc().setns(fd, NamespaceCalls.CLONE_NEWNET), "setns " + path);
    } finally {
      libc().close(fd);
    }
  }

  @Override
  public String toString() {
    return path == null ? "current network namespace" : "network namespace " + path;
  }
}
