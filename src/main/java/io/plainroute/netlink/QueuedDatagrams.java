package io.plainroute.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Receives the datagrams queued on a socket several at a time, with one {@code recvmmsg} call:
 * the kernel sends each notification and each error in a datagram of its own, so reading them
 * one {@code recvfrom} at a time would cost a system call each. The memory is allocated once;
 * each datagram is a view of its own slot, valid until the next receive.
 */
final class QueuedDatagrams {
  /** {@code struct iovec}, {@code struct msghdr} and {@code struct mmsghdr} on 64-bit Linux. */
  private static final int IOVEC_SIZE = 16;
  private static final int MSGHDR_SIZE = 56;
  private static final int MMSGHDR_SIZE = 64;
  private static final int SOCKADDR_NL_SIZE = 12;

  private final int slots;
  private final int slotBytes;
  private final Native.Memory data;
  private final Native.Memory headers;
  private final Native.Memory names;
  /** The headers point to the iovecs: kept as long as they are. */
  private final Native.Memory iovecs;
  private final ByteBuffer[] views;
  /** The slots of the last receive's datagrams from the kernel, in order. */
  private final int[] accepted;
  private boolean truncated;

  /**
   * @param slots most datagrams taken per call
   * @param slotBytes room for each: a larger datagram is reported as EMSGSIZE
   */
  QueuedDatagrams(int slots, int slotBytes) {
    this.slots = slots;
    this.slotBytes = slotBytes;
    this.data = Native.Memory.allocate(slots * slotBytes);
    this.headers = Native.Memory.allocate(slots * MMSGHDR_SIZE);
    this.names = Native.Memory.allocate(slots * SOCKADDR_NL_SIZE);
    this.iovecs = Native.Memory.allocate(slots * IOVEC_SIZE);
    this.views = new ByteBuffer[slots];
    this.accepted = new int[slots];
    ByteBuffer header = headers.buffer();
    for (int i = 0; i < slots; i++) {
      iovecs.buffer().putLong(i * IOVEC_SIZE, data.pointer().address() + (long) i * slotBytes)
          .putLong(i * IOVEC_SIZE + 8, slotBytes);
      int at = i * MMSGHDR_SIZE;
      header.putLong(at, names.pointer().address() + (long) i * SOCKADDR_NL_SIZE)
          .putLong(at + 16, iovecs.pointer().address() + (long) i * IOVEC_SIZE)
          .putLong(at + 24, 1);
      views[i] = data.buffer().slice(i * slotBytes, slotBytes).order(ByteOrder.nativeOrder());
    }
  }

  /**
   * Waits for the first datagram (unless dontWait), then takes those already queued behind it.
   *
   * @return how many arrived: 0 when none did, at once with dontWait, else within the socket's
   *     receive timeout
   * @throws NetlinkException ENOBUFS when the kernel dropped datagrams for lack of buffer space
   */
  int receive(int fd, boolean dontWait) throws NetlinkException {
    ByteBuffer header = headers.buffer();
    for (int i = 0; i < slots; i++) {
      header.putInt(i * MMSGHDR_SIZE + 8, SOCKADDR_NL_SIZE).putInt(i * MMSGHDR_SIZE + 48, 0);
    }
    int flags = Native.MSG_TRUNC | Native.MSG_WAITFORONE | (dontWait ? Native.MSG_DONTWAIT : 0);
    int received;
    do {
      received = Native.libc().recvmmsg(fd, headers.pointer(), slots, flags, null);
    } while (received < 0 && Native.errno() == Errno.EINTR.number());
    if (received < 0) {
      int errno = Native.errno();
      if (errno == Errno.EAGAIN.number()) {
        received = 0;
      } else {
        throw new NetlinkException(errno, "recvmmsg(AF_NETLINK)", null);
      }
    }
    int count = 0;
    truncated = false;
    for (int i = 0; i < received; i++) {
      int length = header.getInt(i * MMSGHDR_SIZE + MSGHDR_SIZE);
      // MSG_TRUNC makes the kernel report the datagram's real length; the rest of it is gone.
      truncated |= length > slotBytes;
      // Datagrams from other processes are dropped: only the kernel (port 0) speaks here.
      if (length <= slotBytes && names.buffer().getInt(i * SOCKADDR_NL_SIZE + 4) == 0) {
        views[i].limit(length).position(0);
        accepted[count++] = i;
      }
    }
    return count;
  }

  /** Whether the last receive dropped a datagram larger than its slot. */
  boolean truncated() {
    return truncated;
  }

  /** The i-th datagram of the last receive, from its start to its end. */
  ByteBuffer get(int i) {
    return views[accepted[i]];
  }
}
