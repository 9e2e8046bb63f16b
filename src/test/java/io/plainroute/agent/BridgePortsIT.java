package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bridge deleted by hand (issue 10, case 6): recreating it with its gateway is not enough, the
 * pods' host ends that were on it hang loose and the pods are cut off. The agent puts them back.
 */
class BridgePortsIT extends NodeKernelTestBase {
  private static final List<NodeNetwork> PEERS = List.of(peer("node02", "10.244.2.0/24", "192.168.1.12"));

  BridgePortsIT() {
    super("prbp");
  }

  @Test
  void aDeletedBridgeComesBackWithThePodsHostEndsOnIt() throws Exception {
    pass(PEERS);
    closedAfterTest(netlink.subscribe(new KernelEvents(dataplane, () -> pass(PEERS), () -> { }, nanos -> { })));
    String pod = newNamespace();
    // As the bridge plugin attaches a pod: a veth with its host end on the bridge, the other end in the pod.
    ip("link", "add", "veth1", "type", "veth", "peer", "name", "eth0", "netns", pod);
    ip("link", "set", "veth1", "master", "cni0", "up");
    // ... with the port settings it gives a port under plainroute's CNI config (hairpinMode).
    ip("link", "set", "veth1", "type", "bridge_slave", "hairpin", "on");
    String portSettings = portSettings("veth1");
    assertThat(portSettings).contains("hairpin on");
    TestNamespaces.ip(pod, "addr", "add", "10.244.1.2/24", "dev", "eth0");
    TestNamespaces.ip(pod, "link", "set", "eth0", "up");

    ip("link", "del", "cni0");

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
        .until(() -> ip("-o", "link", "show", "veth1").contains("master cni0"));
    assertThat(ip("-o", "-4", "addr", "show", "dev", "cni0")).contains("10.244.1.1/24");
    // The pod reaches its gateway again.
    TestNamespaces.exec(pod, "ping", "-c", "1", "-W", "2", "10.244.1.1");
    // And its port is as the plugin had set it: hairpin on, the kernel's defaults otherwise.
    assertThat(portSettings("veth1")).isEqualTo(portSettings);
  }

  /** The port's settings as {@code ip -d link} shows them (hairpin, learning, flood, ...), without counters and ids. */
  private String portSettings(String port) throws Exception {
    String details = ip("-d", "-o", "link", "show", "dev", port);
    int start = details.indexOf("bridge_slave");
    assertThat(start).as("%s is a bridge port: %s", port, details).isNotNegative();
    return java.util.Arrays.stream(details.substring(start).split("\\s+"))
        .collect(java.util.stream.Collectors.joining(" "))
        // Which bridge, port ids and timers change with a new bridge; the settings must not.
        .replaceAll("(designated_root|designated_bridge|bridge_id|root_id|port_id|port_no|designated_port|designated_cost"
            + "|designated_root|hold_timer|message_age_timer|forward_delay_timer|topology_change_ack|config_pending|state) \\S+ ?", "");
  }
}
