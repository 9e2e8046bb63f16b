package io.plainroute.agent;

import io.plainroute.netlink.NetlinkHandle;
import java.io.IOException;
import java.util.concurrent.ExecutionException;

/**
 * File work under {@code /proc/sys/net} on a handle's thread: the files show the network
 * namespace of the thread that opens them, so they are read and written inside the node's.
 */
final class ProcSys {
  private ProcSys() {
  }

  interface Work<T> {
    T run() throws IOException;
  }

  static <T> T onThread(NetlinkHandle netlink, Work<T> work) throws IOException {
    try {
      return netlink.submit(work::run).get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw new IOException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
