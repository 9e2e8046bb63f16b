package io.plainroute.netns;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Runtime;

/**
 * Everything native in this package: the three C library calls that enter a network namespace,
 * bound through jnr-ffi and loaded once.
 */
final class NamespaceCalls {
  static final int O_RDONLY = 0;
  static final int O_CLOEXEC = 0x80000;
  static final int CLONE_NEWNET = 0x40000000;

  /** The C library functions. Public only because jnr-ffi implements it in a class loader of its own. */
  public interface LibC {
    int open(String path, int flags);

    /** Moves the calling thread, not the process, into the namespace that fd refers to. */
    int setns(int fd, int namespaceType);

    int close(int fd);

    String strerror(int errno);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class)
      .load(Platform.getNativePlatform().getStandardCLibraryName());
  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private NamespaceCalls() {
  }

  static LibC libc() {
    return LIBC;
  }

  /** Returns a call's non-negative result, or throws the calling thread's errno. */
  static int check(int result, String operation) throws NamespaceException {
    if (result < 0) {
      int errno = RUNTIME.getLastError();
      throw new NamespaceException(errno, operation + ": " + LIBC.strerror(errno));
    }
    return result;
  }
}
