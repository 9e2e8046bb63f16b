package io.plainroute.nftables;

import static io.plainroute.testing.TestNamespaces.ip;
import static io.plainroute.testing.TestNamespaces.run;
import static io.plainroute.testing.TestNamespaces.tryExec;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.KernelTestBase;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netns.NamespaceThread;
import io.plainroute.netns.NetworkNamespace;

/**
 * Real packets through the rule, on the lectures' topology built from namespaces: two nodes on
 * a LAN, each with a {@code cni0} bridge and pods, static routes to each other's pod subnet, and
 * a host outside the cluster that knows no route to the pods. The receivers are UDP sockets
 * opened inside their namespaces, so each test reads the source address a receiver really sees.
 *
 * <pre>
 *  pod1 10.244.1.2 ┐                                      ┌ pod2 10.244.2.2
 *  pod3 10.244.1.3 ┴ cni0 node1 192.168.1.11 ─ lan ─ 192.168.1.12 node2 cni0
 *                                                 └─ 192.168.1.50 outside
 * </pre>
 */
class MasqueradeTrafficIT extends KernelTestBase {
  private static final MasqueradeRuleset CLUSTER = MasqueradeRuleset.of(List.of("10.244.0.0/16"), "cni0");
  private static final int PORT = 7777;
  private static final int RECEIVE_TIMEOUT_MS = 5_000;

  private final AtomicInteger ports = new AtomicInteger();
  private String lan;
  private String node1;
  private String node2;
  private String outside;
  private String pod1;
  private String pod2;
  private String pod3;

  MasqueradeTrafficIT() {
    super("prnft");
  }

  @BeforeEach
  void buildTwoNodesAndAnOutsideHost() throws Exception {
    lan = newNamespace();
    ip(lan, "link", "add", "lan", "type", "bridge");
    ip(lan, "link", "set", "lan", "up");
    node1 = node("192.168.1.11/24", "10.244.1.1/24");
    node2 = node("192.168.1.12/24", "10.244.2.1/24");
    ip(node1, "route", "add", "10.244.2.0/24", "via", "192.168.1.12");
    ip(node2, "route", "add", "10.244.1.0/24", "via", "192.168.1.11");
    outside = newNamespace();
    onLan(outside, "192.168.1.50/24");
    pod1 = pod(node1, "10.244.1.2/24", "10.244.1.1");
    pod3 = pod(node1, "10.244.1.3/24", "10.244.1.1");
    pod2 = pod(node2, "10.244.2.2/24", "10.244.2.1");
    assertThat(ip(outside, "route", "show")).as("the outside host's routes").doesNotContain("10.244.");
  }

  @Test
  void podTrafficLeavesTheClusterWithTheNodesAddressOnlyWhileTheRuleIsThere() throws Exception {
    DatagramSocket host = udp(outside, "192.168.1.50", PORT);

    // Without the rule the outside host sees the pod's address, which it has no route back to.
    assertThat(pings(pod1, "192.168.1.50")).as("ping without masquerade").isFalse();
    assertThat(sourceSeen(udp(pod1, "10.244.1.2", 0), host)).isEqualTo("10.244.1.2");

    Masquerade masquerade = masquerade(node1);
    masquerade.apply(CLUSTER);

    assertThat(pings(pod1, "192.168.1.50")).as("ping with masquerade").isTrue();
    DatagramSocket pod = udp(pod1, "10.244.1.2", 0);
    SocketAddress seen = deliver(pod, "192.168.1.50", host);
    assertThat(address(seen)).isEqualTo("192.168.1.11");
    // The answer goes to the node's address and reaches the pod: the node translates it back.
    answer(host, seen);
    assertThat(address(receive(pod))).isEqualTo("192.168.1.50");

    masquerade.remove();

    assertThat(sourceSeen(udp(pod1, "10.244.1.2", 0), host)).as("a new flow after remove").isEqualTo("10.244.1.2");
    assertThat(pings(pod1, "192.168.1.50")).as("ping after remove").isFalse();
  }

  @Test
  void podsOnTwoNodesSeeEachOthersOwnAddresses() throws Exception {
    masquerade(node1).apply(CLUSTER);
    masquerade(node2).apply(CLUSTER);
    DatagramSocket sender = udp(pod1, "10.244.1.2", 0);
    DatagramSocket receiver = udp(pod2, "10.244.2.2", PORT);

    SocketAddress seen = deliver(sender, "10.244.2.2", receiver);

    assertThat(address(seen)).isEqualTo("10.244.1.2");
    answer(receiver, seen);
    assertThat(address(receive(sender))).isEqualTo("10.244.2.2");
    assertThat(pings(pod2, "10.244.1.2")).as("ping from pod2 to pod1").isTrue();
  }

  @Test
  void podsOnTheSameNodeSeeEachOthersOwnAddresses() throws Exception {
    masquerade(node1).apply(CLUSTER);

    assertThat(sourceSeen(udp(pod1, "10.244.1.2", 0), udp(pod3, "10.244.1.3", PORT))).isEqualTo("10.244.1.2");
  }

  /** A node: bridge cni0 with the gateway address, forwarding on, and an uplink on the LAN. */
  private String node(String nodeAddress, String gateway) throws Exception {
    String node = newNamespace();
    ip(node, "link", "add", "cni0", "type", "bridge");
    ip(node, "addr", "add", gateway, "dev", "cni0");
    ip(node, "link", "set", "cni0", "up");
    run("ip", "netns", "exec", node, "sysctl", "-q", "-w", "net.ipv4.ip_forward=1");
    onLan(node, nodeAddress);
    return node;
  }

  /** Gives the namespace an eth0 with the address, plugged into the LAN bridge. */
  private void onLan(String namespace, String address) throws Exception {
    String port = "port" + ports.incrementAndGet();
    // Both ends are created where they belong: nothing passes through the machine's namespace.
    ip(lan, "link", "add", port, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    ip(lan, "link", "set", port, "master", "lan", "up");
    ip(namespace, "addr", "add", address, "dev", "eth0");
    ip(namespace, "link", "set", "eth0", "up");
  }

  /** A pod on the node's bridge, as the bridge CNI plugin would attach it. */
  private String pod(String node, String address, String gateway) throws Exception {
    String pod = newNamespace();
    String veth = "veth" + ports.incrementAndGet();
    ip(node, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", pod);
    ip(node, "link", "set", veth, "master", "cni0", "up");
    ip(pod, "addr", "add", address, "dev", "eth0");
    ip(pod, "link", "set", "eth0", "up");
    ip(pod, "route", "add", "default", "via", gateway);
    return pod;
  }

  private static boolean pings(String namespace, String address) throws Exception {
    return tryExec(namespace, "ping", "-n", "-q", "-c", "3", "-i", "0.2", "-W", "2", address).ok();
  }

  /**
   * A UDP socket bound inside the namespace, closed after the test. A socket belongs to the
   * namespace it was opened in, so only opening it needs the namespace's thread.
   */
  private DatagramSocket udp(String namespace, String address, int port) throws Exception {
    NamespaceThread thread = NamespaceThread.start(NetworkNamespace.named(namespace));
    try {
      DatagramSocket socket = thread.call(
          () -> new DatagramSocket(new InetSocketAddress(Ipv4Prefix.parseAddress(address), port)));
      socket.setSoTimeout(RECEIVE_TIMEOUT_MS);
      return closedAfterTest(socket);
    } finally {
      thread.stop();
    }
  }

  /** The source address a datagram from one socket arrives at the other with. */
  private static String sourceSeen(DatagramSocket from, DatagramSocket to) throws Exception {
    return address(deliver(from, to.getLocalAddress().getHostAddress(), to));
  }

  /** Sends to the receiver's port at the address, and returns who the receiver saw it from. */
  private static SocketAddress deliver(DatagramSocket from, String address, DatagramSocket to) throws Exception {
    sendTo(from, new InetSocketAddress(Ipv4Prefix.parseAddress(address), to.getLocalPort()));
    return receive(to);
  }

  /** Sends back to where a datagram seemed to come from. */
  private static void answer(DatagramSocket from, SocketAddress seen) throws Exception {
    sendTo(from, seen);
  }

  private static void sendTo(DatagramSocket from, SocketAddress to) throws Exception {
    byte[] bytes = "plainroute".getBytes(StandardCharsets.UTF_8);
    from.send(new DatagramPacket(bytes, bytes.length, to));
  }

  private static SocketAddress receive(DatagramSocket socket) throws Exception {
    DatagramPacket packet = new DatagramPacket(new byte[64], 64);
    socket.receive(packet);
    return packet.getSocketAddress();
  }

  private static String address(SocketAddress socketAddress) {
    return ((InetSocketAddress) socketAddress).getAddress().getHostAddress();
  }
}
