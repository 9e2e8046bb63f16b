package io.plainroute.netns;

import java.io.IOException;

/** A thread could not enter a network namespace: the file is missing, or the process may not. */
public final class NamespaceException extends IOException {
  private final int errno;

  /**
   * @param errno the positive errno of the failed call
   * @param message what failed and why, e.g. "open /var/run/netns/x: No such file or directory"
   */
  public NamespaceException(int errno, String message) {
    super(message);
    this.errno = errno;
  }

  /** The positive errno number, e.g. 2 for ENOENT. */
  public int errno() {
    return errno;
  }
}
