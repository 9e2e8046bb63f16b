package io.plainroute.netlink;

import static io.plainroute.netlink.Native.check;
import static io.plainroute.netlink.Native.libc;

import io.plainroute.netlink.nl.Netlink;
import java.io.Closeable;
import java.time.Duration;

/**
 * A {@code NETLINK_ROUTE} socket. It belongs to the network namespace of
 * the thread that opened it, whichever thread uses it afterwards; it is used by one thread at a
 * time.
 */
final class NetlinkSocket implements Closeable {
  private static final int SOCKADDR_NL_SIZE = 12;

  private final int fd;
  private final int portId;
  private final Native.Memory kernel = sockaddrNl();
  private final Native.Memory option = Native.Memory.allocate(16);
  private final Native.Memory optionLength = Native.Memory.allocate(4);
  private boolean closed;

  private NetlinkSocket(int fd, int portId) {
    this.fd = fd;
    this.portId = portId;
  }

  /**
   * Opens a socket in the calling thread's network namespace, bound to a port the kernel
   * chooses: binding to the process id fails for a process's second socket.
   */
  static NetlinkSocket open() throws NetlinkException {
    int fd = (int) check(libc().socket(Native.AF_NETLINK, Native.SOCK_RAW | Native.SOCK_CLOEXEC,
        Netlink.NETLINK_ROUTE), "socket(AF_NETLINK)");
    try {
      Native.Memory address = sockaddrNl();
      check(libc().bind(fd, address.pointer(), SOCKADDR_NL_SIZE), "bind(AF_NETLINK)");
      Native.Memory length = Native.Memory.allocate(4);
      length.buffer().putInt(0, SOCKADDR_NL_SIZE);
      check(libc().getsockname(fd, address.pointer(), length.pointer()), "getsockname(AF_NETLINK)");
      return new NetlinkSocket(fd, address.buffer().getInt(4));
    } catch (NetlinkException e) {
      libc().close(fd);
      throw e;
    }
  }

  /** The port id the kernel gave this socket; replies to it carry this id. */
  int portId() {
    return portId;
  }

  void setOption(int level, int name, int value) throws NetlinkException {
    option.buffer().putInt(0, value);
    check(libc().setsockopt(fd, level, name, option.pointer(), 4), "setsockopt(" + level + ", " + name + ")");
  }

  /**
   * Raises the receive buffer, past {@code net.core.rmem_max} when the process may; the
   * kernel doubles the value asked for, for its bookkeeping.
   *
   * @return the receive buffer's size as the kernel accounts it
   */
  int raiseReceiveBuffer(int bytes) throws NetlinkException {
    try {
      setOption(Native.SOL_SOCKET, Native.SO_RCVBUFFORCE, bytes);
    } catch (NetlinkException e) {
      if (!e.is(Errno.EPERM)) {
        throw e;
      }
      setOption(Native.SOL_SOCKET, Native.SO_RCVBUF, bytes);
    }
    optionLength.buffer().putInt(0, 4);
    check(libc().getsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVBUF, option.pointer(), optionLength.pointer()),
        "getsockopt(SO_RCVBUF)");
    return option.buffer().getInt(0);
  }

  /** Makes {@link #receive} give up after this long, so that no caller blocks forever. */
  void setReceiveTimeout(Duration timeout) throws NetlinkException {
    // struct timeval: seconds and microseconds, both longs on 64-bit Linux.
    option.buffer().putLong(0, timeout.toSeconds()).putLong(8, timeout.toMillisPart() * 1000L);
    check(libc().setsockopt(fd, Native.SOL_SOCKET, Native.SO_RCVTIMEO, option.pointer(), 16),
        "setsockopt(SO_RCVTIMEO)");
  }

  /** Subscribes to a multicast group ({@code RTNLGRP_*}). */
  void joinGroup(int group) throws NetlinkException {
    setOption(Netlink.SOL_NETLINK, Netlink.NETLINK_ADD_MEMBERSHIP, group);
  }

  /** Sends the first {@code length} bytes of the memory to the kernel, as one datagram. */
  void send(Native.Memory datagram, int length) throws NetlinkException {
    long sent;
    do {
      sent = libc().sendto(fd, datagram.pointer(), length, 0, kernel.pointer(), SOCKADDR_NL_SIZE);
    } while (sent < 0 && Native.errno() == Errno.EINTR.number());
    if (check(sent, "sendto(AF_NETLINK)") != length) {
      throw new NetlinkException(Errno.EMSGSIZE, "sendto(AF_NETLINK) sent " + sent + " of " + length + " bytes");
    }
  }

  /** Receives the datagrams queued, several per system call; see {@link QueuedDatagrams#receive}. */
  int receive(QueuedDatagrams into, boolean dontWait) throws NetlinkException {
    return into.receive(fd, dontWait);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      libc().close(fd);
    }
  }

  private static Native.Memory sockaddrNl() {
    Native.Memory address = Native.Memory.allocate(SOCKADDR_NL_SIZE);
    address.buffer().putShort(0, (short) Native.AF_NETLINK);
    return address;
  }
}
