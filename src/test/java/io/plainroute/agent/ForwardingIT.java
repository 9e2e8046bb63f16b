package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarding on a real kernel: the global switch and the uplink's and the bridge's own, each
 * turned off by someone else, is noticed from the kernel's {@code RTM_NEWNETCONF} notification
 * (nothing polls the switches) and turned back on by the pass it asks for, with no other change
 * to prompt it.
 */
class ForwardingIT extends NodeKernelTestBase {
  private static final List<NodeNetwork> PEERS = List.of(peer("node02", "10.244.2.0/24", "192.168.1.12"));

  /** A notification and a pass: far less than the periodic resync. */
  private static final Duration WITHIN = Duration.ofSeconds(3);

  ForwardingIT() {
    super("prfw");
  }

  @BeforeEach
  void aProgrammedNodeReadingItsEvents() throws Exception {
    pass(PEERS);
    assertThat(sysctl("net.ipv4.ip_forward")).isEqualTo("1");
    closedAfterTest(netlink.subscribe(new KernelEvents(dataplane, () -> pass(PEERS), () -> { }, nanos -> { })));
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

  private String sysctl(String name) throws Exception {
    return TestNamespaces.exec(namespace, "sysctl", "-n", name).strip();
  }
}
