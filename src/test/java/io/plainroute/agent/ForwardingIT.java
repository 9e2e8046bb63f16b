package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.cluster;
import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netlink.NetworkNamespace;
import io.plainroute.nftables.Masquerade;
import io.plainroute.testing.KernelTestBase;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Forwarding, which no rtnetlink group the agent reads announces, on a real kernel: the global
 * switch and the uplink's and the bridge's own, each turned off by someone else, is noticed by
 * the watch and turned back on by the pass it asks for, with no other change to prompt it.
 */
class ForwardingIT extends KernelTestBase {
  /** Twice the watch's period and a pass: far less than the periodic resync. */
  private static final Duration WITHIN = Duration.ofSeconds(3);
  private static final NodeNetworkSpec OWN = new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11");

  @TempDir
  Path cniDir;
  private String namespace;
  private NodeDataplane dataplane;

  ForwardingIT() {
    super("prfw");
  }

  @BeforeEach
  void aProgrammedNodeWithAWatch() throws Exception {
    namespace = newNamespace();
    ip("link", "add", "eth0", "type", "veth", "peer", "name", "lan0");
    ip("addr", "add", "192.168.1.11/24", "dev", "eth0");
    ip("link", "set", "lan0", "up");
    ip("link", "set", "eth0", "up");
    NetlinkHandle netlink = closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace)));
    Masquerade masquerade = closedAfterTest(Masquerade.open(NetworkNamespace.named(namespace)));
    dataplane = new NodeDataplane(netlink, 202, masquerade, new CniConfigWriter(cniDir));
    pass();
    assertThat(sysctl("net.ipv4.ip_forward")).isEqualTo("1");
    closedAfterTest(new ForwardingWatch(dataplane, this::pass).start());
  }

  @Test
  void theGlobalSwitchTurnedOffIsTurnedBackOn() throws Exception {
    TestNamespaces.exec(namespace, "sysctl", "-qw", "net.ipv4.ip_forward=0");
    await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> sysctl("net.ipv4.ip_forward").equals("1"));
  }

  @Test
  void theUplinksOwnSwitchTurnedOffIsTurnedBackOn() throws Exception {
    TestNamespaces.exec(namespace, "sysctl", "-qw", "net.ipv4.conf.eth0.forwarding=0");
    await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> sysctl("net.ipv4.conf.eth0.forwarding").equals("1"));
  }

  @Test
  void theBridgesOwnSwitchTurnedOffIsTurnedBackOn() throws Exception {
    TestNamespaces.exec(namespace, "sysctl", "-qw", "net.ipv4.conf.cni0.forwarding=0");
    await().atMost(WITHIN).pollInterval(Duration.ofMillis(50)).until(() -> sysctl("net.ipv4.conf.cni0.forwarding").equals("1"));
  }

  private void pass() {
    try {
      NodeInterfaces interfaces = dataplane.interfaces();
      Optional<NodeUplink> uplink = DesiredDataplane.uplink(OWN, interfaces);
      dataplane.apply(DesiredDataplane.of(cluster(), OWN, List.of(peer("node02", "10.244.2.0/24", "192.168.1.12")), uplink),
          uplink, interfaces);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String sysctl(String name) throws Exception {
    return TestNamespaces.exec(namespace, "sysctl", "-n", name).strip();
  }

  private String ip(String... args) throws Exception {
    return TestNamespaces.ip(namespace, args);
  }
}
