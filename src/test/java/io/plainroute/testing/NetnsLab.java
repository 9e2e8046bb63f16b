package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A LAN of "nodes" made of network namespaces, for tests of what crosses a network: a bridge in a
 * namespace of its own plays the switch, each node is a namespace with an {@code eth0} plugged
 * into it. Everything lives in namespaces this lab creates (named {@code prlab-<pid>-...}); the
 * machine's own namespace gets nothing. {@link #close()} deletes them all, and a later lab sweeps
 * what a killed test JVM left behind.
 */
public final class NetnsLab implements AutoCloseable {
  private static final String PREFIX = "prlab-";

  private final String prefix;
  private final String lan;
  private final int lanPrefixLength;
  private final Map<String, String> nodes = new LinkedHashMap<>();

  private NetnsLab(int lanPrefixLength) {
    this.prefix = PREFIX + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff) + "-";
    this.lan = prefix + "lan";
    this.lanPrefixLength = lanPrefixLength;
  }

  /** A LAN whose node addresses have the given prefix length (24 for 192.168.1.0/24). */
  public static NetnsLab create(int lanPrefixLength) {
    sweepStale();
    NetnsLab lab = new NetnsLab(lanPrefixLength);
    try {
      run("ip", "netns", "add", lab.lan);
      run("ip", "-n", lab.lan, "link", "add", "lan0", "type", "bridge");
      run("ip", "-n", lab.lan, "link", "set", "lan0", "up");
      return lab;
    } catch (RuntimeException e) {
      lab.close();
      throw e;
    }
  }

  /** Adds a node namespace with {@code eth0} at {@code address} on the LAN and loopback up. */
  public String addNode(String node, String address) {
    String namespace = prefix + node;
    String port = "p" + (nodes.size() + 1);
    run("ip", "netns", "add", namespace);
    nodes.put(node, namespace);
    run("ip", "link", "add", "eth0", "netns", namespace, "type", "veth", "peer", "name", port, "netns", lan);
    run("ip", "-n", lan, "link", "set", port, "master", "lan0", "up");
    run("ip", "-n", namespace, "addr", "add", address + "/" + lanPrefixLength, "dev", "eth0");
    run("ip", "-n", namespace, "link", "set", "eth0", "up");
    run("ip", "-n", namespace, "link", "set", "lo", "up");
    return namespace;
  }

  /** A namespace of this lab for something that is not a node (a pod), deleted with the lab. */
  public String addNamespace(String name) {
    String namespace = prefix + name;
    run("ip", "netns", "add", namespace);
    nodes.put(name, namespace);
    return namespace;
  }

  public String namespace(String node) {
    String namespace = nodes.get(node);
    if (namespace == null) {
      throw new IllegalArgumentException("no node " + node + " in this lab");
    }
    return namespace;
  }

  /** {@code ip -n <node's namespace> ARGS}: stdout, or an exception with what ip said. */
  public String ip(String node, String... args) {
    List<String> command = new ArrayList<>(List.of("ip", "-n", namespace(node)));
    command.addAll(List.of(args));
    return run(command.toArray(String[]::new));
  }

  /** Runs a command inside a node's namespace ({@code ip netns exec}). */
  public String exec(String node, String... command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace(node)));
    full.addAll(List.of(command));
    return run(full.toArray(String[]::new));
  }

  @Override
  public void close() {
    List<String> all = new ArrayList<>(nodes.values());
    all.add(lan);
    for (String namespace : all) {
      runQuietly("ip", "netns", "del", namespace);
    }
    nodes.clear();
  }

  /** Deletes namespaces of labs whose JVM is gone (killed before it could clean up). */
  private static void sweepStale() {
    for (String line : runQuietly("ip", "netns", "list").split("\n")) {
      String name = line.split(" ")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = name.substring(PREFIX.length()).split("-", 2);
      boolean alive = parts[0].chars().allMatch(Character::isDigit) && !parts[0].isEmpty()
          && ProcessHandle.of(Long.parseLong(parts[0])).map(ProcessHandle::isAlive).orElse(false);
      if (!alive) {
        runQuietly("ip", "netns", "del", name);
      }
    }
  }

  /** Runs a command and returns its stdout; fails with its output when it exits non-zero. */
  public static String run(String... command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().close();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish within 60 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " exited with " + process.exitValue() + ": " + output.strip());
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String runQuietly(String... command) {
    try {
      return run(command);
    } catch (RuntimeException e) {
      return "";
    }
  }
}
