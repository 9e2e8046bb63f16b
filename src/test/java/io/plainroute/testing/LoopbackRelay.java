package io.plainroute.testing;

import io.plainroute.netns.NamespaceException;
import io.plainroute.netns.NamespaceThread;
import io.plainroute.netns.NetworkNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Makes a port of the machine's loopback (the test control plane's API server) reachable at the
 * same address inside a network namespace, so that a process living entirely in a node's
 * namespace — as a hostNetwork pod lives in its node's — talks to the API server with an
 * unchanged kubeconfig and certificate. Bytes are copied as they are (TLS passes through).
 */
public final class LoopbackRelay implements AutoCloseable {
  private final ServerSocket server;
  private final int port;
  private final List<AutoCloseable> open = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  private LoopbackRelay(ServerSocket server, int port) {
    this.server = server;
    this.port = port;
    daemon("relay accept :" + port, this::acceptLoop);
  }

  /** Listens on 127.0.0.1:{@code port} inside the named namespace ({@code ip netns}), forwards to 127.0.0.1:{@code port} here. */
  public static LoopbackRelay into(String namespace, int port) {
    try {
      NamespaceThread inside = NamespaceThread.start(NetworkNamespace.named(namespace));
      try {
        // A socket belongs to the namespace it was created in, whichever thread uses it later.
        return new LoopbackRelay(inside.call(() -> {
          // Plain sockets: the stream views of a SocketChannel share one lock, so reading and
          // writing one connection from two threads would block each other.
          return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }), port);
      } finally {
        inside.stop();
      }
    } catch (NamespaceException e) {
      throw new IllegalStateException("cannot enter network namespace " + namespace, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port + " in network namespace " + namespace, e);
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket inside = server.accept();
        Socket outside = new Socket(InetAddress.getLoopbackAddress(), port);
        open.add(inside);
        open.add(outside);
        daemon("relay in :" + port, () -> pump(inside, outside));
        daemon("relay out :" + port, () -> pump(outside, inside));
      } catch (IOException e) {
        if (!closed) {
          System.out.println("[plainroute-relay] :" + port + ": " + e.getMessage());
        }
      }
    }
  }

  /** Copies one direction; when it ends, both sockets go, so the other direction ends too. */
  private static void pump(Socket from, Socket to) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      in.transferTo(out);
    } catch (IOException e) {
      // a side went away: the connection is over
    } finally {
      close(from);
      close(to);
    }
  }

  private static void daemon(String name, Runnable work) {
    Thread thread = new Thread(work, name);
    thread.setDaemon(true);
    thread.start();
  }

  private static void close(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // already closed
    }
  }

  @Override
  public void close() {
    closed = true;
    close(server);
    open.forEach(LoopbackRelay::close);
  }
}
