package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A LAN of "nodes" made of network namespaces, for tests of what crosses a network: a bridge in a
 * namespace of its own plays the switch, each node is a namespace with an {@code eth0} plugged into
 * it. Namespaces come from {@link TestNamespaces} (prefix {@code prlab}), so they are deleted on
 * {@link #close()} and swept by a later run if a test JVM was killed; the machine's own namespace
 * gets nothing. The bash lab ({@code hack/lab/lab.sh}) builds the same LAN for the e2e tests;
 * docs/testing.md says why kernel tests use this one.
 */
public final class NetnsLab implements AutoCloseable {
  private final TestNamespaces namespaces = new TestNamespaces("prlab");
  private final int lanPrefixLength;
  private final Map<String, String> nodes = new LinkedHashMap<>();
  private String lan;

  private NetnsLab(int lanPrefixLength) {
    this.lanPrefixLength = lanPrefixLength;
  }

  /** A LAN whose node addresses have the given prefix length (24 for 192.168.1.0/24). */
  public static NetnsLab create(int lanPrefixLength) {
    NetnsLab lab = new NetnsLab(lanPrefixLength);
    try {
      lab.lan = lab.namespaces.create();
      TestNamespaces.ip(lab.lan, "link", "add", "lan0", "type", "bridge");
      TestNamespaces.ip(lab.lan, "link", "set", "lan0", "up");
      return lab;
    } catch (IOException | InterruptedException | RuntimeException | Error e) {
      lab.close();
      throw new IllegalStateException("could not build the lab's LAN", e);
    }
  }

  /** Adds a node namespace with {@code eth0} at {@code address} on the LAN. */
  public String addNode(String node, String address) {
    return unchecked(() -> {
      String namespace = namespaces.create();
      String port = "p" + (nodes.size() + 1);
      nodes.put(node, namespace);
      TestNamespaces.run("ip", "link", "add", "eth0", "netns", namespace, "type", "veth", "peer", "name", port, "netns", lan);
      TestNamespaces.ip(lan, "link", "set", port, "master", "lan0", "up");
      TestNamespaces.ip(namespace, "addr", "add", address + "/" + lanPrefixLength, "dev", "eth0");
      TestNamespaces.ip(namespace, "link", "set", "eth0", "up");
      return namespace;
    });
  }

  /** A bare namespace of this lab (a pod, say), deleted with it. */
  public String addNamespace(String name) {
    return unchecked(() -> {
      String namespace = namespaces.create();
      nodes.put(name, namespace);
      return namespace;
    });
  }

  public String namespace(String node) {
    String namespace = nodes.get(node);
    if (namespace == null) {
      throw new IllegalArgumentException("no node " + node + " in this lab");
    }
    return namespace;
  }

  /** {@code ip -n <node's namespace> ARGS}: its stdout; fails the test when ip fails. */
  public String ip(String node, String... args) {
    return unchecked(() -> TestNamespaces.ip(namespace(node), args));
  }

  /** Runs a command inside a node's namespace ({@code ip netns exec}). */
  public String exec(String node, String... command) {
    return unchecked(() -> TestNamespaces.exec(namespace(node), command));
  }

  @Override
  public void close() {
    unchecked(() -> {
      namespaces.close();
      return null;
    });
  }

  private interface Command<T> {
    T run() throws IOException, InterruptedException;
  }

  private static <T> T unchecked(Command<T> command) {
    try {
      return command.run();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
