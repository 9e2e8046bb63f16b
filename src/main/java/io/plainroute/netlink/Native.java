package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Platform;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * Everything native in this package: the few C library calls that netlink needs, bound through
 * jnr-ffi and loaded once, with their constants.
 */
final class Native {
  static final int AF_NETLINK = 16;
  static final int SOCK_RAW = 3;
  /** So that processes forked by the JVM do not inherit netlink sockets. */
  static final int SOCK_CLOEXEC = 0x80000;
  static final int SOL_SOCKET = 1;
  static final int SO_RCVBUF = 8;
  static final int SO_RCVTIMEO = 20;
  /** Like SO_RCVBUF, but past {@code net.core.rmem_max}; needs CAP_NET_ADMIN. */
  static final int SO_RCVBUFFORCE = 33;
  static final int MSG_TRUNC = 0x20;
  static final int MSG_DONTWAIT = 0x40;
  /** recvmmsg: wait for the first datagram only, then take what is queued. */
  static final int MSG_WAITFORONE = 0x10000;

  /**
   * The C library functions. Public only because jnr-ffi implements it in a class loader of its
   * own. Memory is passed as direct {@link Pointer}s, which jnr-ffi hands over as plain
   * addresses: several times cheaper per call than buffers or arrays.
   */
  public interface LibC {
    int socket(int domain, int type, int protocol);

    int bind(int fd, @In Pointer address, int addressLength);

    int getsockname(int fd, @Out Pointer address, @In @Out Pointer addressLength);

    int setsockopt(int fd, int level, int name, @In Pointer value, int valueLength);

    int getsockopt(int fd, int level, int name, @Out Pointer value, @In @Out Pointer valueLength);

    @ssize_t
    long sendto(int fd, @In Pointer buffer, @size_t long length, int flags, @In Pointer address,
        int addressLength);


    /** Receives up to vlen datagrams in one call (struct mmsghdr[vlen]); timeout may be null. */
    int recvmmsg(int fd, Pointer messages, int vlen, int flags, Pointer timeout);

    int close(int fd);
  }

  private static final LibC LIBC = LibraryLoader.create(LibC.class)
      .load(Platform.getNativePlatform().getStandardCLibraryName());
  private static final Runtime RUNTIME = Runtime.getRuntime(LIBC);

  private Native() {
  }

  static LibC libc() {
    return LIBC;
  }

  /**
   * A direct buffer in host byte order, for Java to read and write, and the pointer to its
   * start, for C.
   */
  record Memory(ByteBuffer buffer, Pointer pointer) {
    static Memory allocate(int bytes) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
      return new Memory(buffer, Pointer.wrap(RUNTIME, buffer));
    }
  }

  /** The calling thread's errno after its last failed call. */
  static int errno() {
    return RUNTIME.getLastError();
  }

  /**
   * Returns a call's non-negative result, or throws the calling thread's errno.
   *
   * @param operation what was called, for the message
   */
  static long check(long result, String operation) throws NetlinkException {
    if (result < 0) {
      throw new NetlinkException(errno(), operation, null);
    }
    return result;
  }
}
