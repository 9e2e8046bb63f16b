package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.plainroute.api.v1alpha1.ClusterNetwork;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.testing.CniRuntime;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.NetnsLab;
import io.plainroute.testing.OperatorProcess;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two dual-stack nodes' agents against the real API server and real kernels: the nodes are network
 * namespaces on one LAN with an IPv4 and an IPv6 (ULA) address each, their NodeNetworks are
 * written by hand with an IPv4 and an IPv6 subnet ({@code podCIDRs}/{@code gateways}/{@code nodeIPs};
 * the controller's side of dual-stack is another change). Each agent gives its bridge a gateway of
 * each family, routes the peer's subnet of each family via the peer's node address of that family,
 * and writes a CNI config from which pods get an address of each family; pods on the two nodes
 * then reach each other over IPv6 as over IPv4.
 */
class DualStackAgentIT {
  private static final Duration SOON = Duration.ofSeconds(60);
  private static final Map<String, String> IPV4 = Map.of("node01", "192.168.1.11", "node02", "192.168.1.12");
  private static final Map<String, String> IPV6 = Map.of("node01", "fd00:192:168:1::11", "node02", "fd00:192:168:1::12");
  private static final Map<String, String> SUBNET4 = Map.of("node01", "10.244.1.0/24", "node02", "10.244.2.0/24");
  private static final Map<String, String> SUBNET6 = Map.of("node01", "fd00:10:244:1::/64", "node02", "fd00:10:244:2::/64");

  @TempDir
  static Path cniDirs;
  @TempDir
  static Path ipam;
  private static NetnsLab lab;
  private static ControlPlane plane;
  private static KubernetesClient client;
  private static final Map<String, OperatorProcess> agents = new TreeMap<>();

  @BeforeAll
  static void twoDualStackNodes() {
    assumeThat(TestNamespaces.isRoot()).as("needs root: creates network namespaces and programs their kernels").isTrue();
    lab = NetnsLab.create(24);
    IPV4.keySet().stream().sorted().forEach(node -> {
      lab.addNode(node, IPV4.get(node));
      lab.ip(node, "-6", "addr", "add", IPV6.get(node) + "/64", "dev", "eth0", "nodad");
    });
    plane = ControlPlane.builder().name("dualstack").start();
    plane.installCrds(Path.of(System.getProperty("plainroute.crds", "crds")));
    client = plane.client();
    ClusterNetwork cn = new ClusterNetwork();
    cn.setMetadata(new ObjectMetaBuilder().withName("default").build());
    ClusterNetworkSpec spec = new ClusterNetworkSpec();
    spec.setClusterCIDRs(List.of("10.244.0.0/16"));
    cn.setSpec(spec);
    client.resource(cn).create();
    for (String node : IPV4.keySet()) {
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata().withNewStatus()
          .addNewAddress().withType("InternalIP").withAddress(IPV4.get(node)).endAddress()
          .addNewAddress().withType("InternalIP").withAddress(IPV6.get(node)).endAddress().endStatus().build()).create();
      NodeNetwork nn = new NodeNetwork();
      nn.setMetadata(new ObjectMetaBuilder().withName(node).build());
      nn.setSpec(ApiObjects.dualStack(node, SUBNET4.get(node), IPV4.get(node), SUBNET6.get(node), IPV6.get(node)));
      client.resource(nn).create();
    }
    IPV4.keySet().stream().sorted().forEach(DualStackAgentIT::startAgent);
  }

  @AfterAll
  static void stop() {
    agents.values().forEach(OperatorProcess::close);
    if (plane != null) {
      plane.close();
    }
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void eachNodeRoutesThePeersSubnetOfEachFamilyAndPodsReachEachOtherOverIpv6() throws Exception {
    await().atMost(SOON).pollInterval(Duration.ofMillis(250)).until(() -> IPV4.keySet().stream().allMatch(DualStackAgentIT::isReady));
    NodeNetworkSpec stored = client.resources(NodeNetwork.class).withName("node01").get().getSpec();
    assertThat(stored.getPodCIDRs()).as("the API server keeps the lists").containsExactly("10.244.1.0/24", "fd00:10:244:1::/64");

    for (String node : IPV4.keySet()) {
      String peer = node.equals("node01") ? "node02" : "node01";
      assertThat(lab.ip(node, "-o", "-6", "addr", "show", "dev", "cni0")).contains(SUBNET6.get(node).replace("::/64", "::1/64"));
      assertThat(lab.exec(node, "cat", "/proc/sys/net/ipv6/conf/all/forwarding").strip()).isEqualTo("1");
      assertThat(lab.ip(node, "-6", "route", "show", "proto", "202"))
          .contains(SUBNET6.get(peer) + " via " + IPV6.get(peer) + " dev eth0");
      assertThat(lab.ip(node, "-4", "route", "show", "proto", "202"))
          .contains(SUBNET4.get(peer) + " via " + IPV4.get(peer) + " dev eth0");
      assertThat(Files.readString(cniDirs.resolve(node).resolve("10-plainroute.conflist"))).contains(SUBNET6.get(node), "::/0");
      assertThat(client.resources(NodeNetwork.class).withName(node).get().getStatus().getRoutes()).isEqualTo(2);
    }

    Map<String, String> pod6 = new TreeMap<>();
    Map<String, String> pod4 = new TreeMap<>();
    for (String node : IPV4.keySet()) {
      String pod = lab.addNamespace("pod-" + node);
      CniRuntime runtime = new CniRuntime(CniRuntime.REFERENCE_PLUGINS, Optional.of(ipam.resolve(node)));
      CniRuntime.Result result = runtime.add(cniDirs.resolve(node).resolve("10-plainroute.conflist"), lab.namespace(node), pod, "eth0");
      result.json().path("ips").forEach(ip -> {
        String address = ip.get("address").asText();
        (address.contains(":") ? pod6 : pod4).put(node, address.substring(0, address.indexOf('/')));
      });
    }
    assertThat(pod6).hasSize(2);
    assertThat(pod6.get("node02")).startsWith("fd00:10:244:2:");
    lab.exec("pod-node01", "ping", "-6", "-c", "1", "-W", "5", pod6.get("node02"));
    lab.exec("pod-node02", "ping", "-6", "-c", "1", "-W", "5", pod6.get("node01"));
    lab.exec("pod-node01", "ping", "-c", "1", "-W", "5", pod4.get("node02"));
  }

  private static void startAgent(String node) {
    OperatorProcess agent = OperatorProcess.builder(plane).name(node + "-agent").role("agent")
        .env("NODE_NAME", node)
        .systemProperty("plainroute.agent.netns", lab.namespace(node))
        .systemProperty("plainroute.agent.cni-conf-dir", cniDirs.resolve(node).toString())
        .start();
    agent.awaitLogLine(Pattern.compile("Listening on"), Duration.ofSeconds(60));
    agents.put(node, agent);
  }

  private static boolean isReady(String node) {
    return Optional.ofNullable(client.resources(NodeNetwork.class).withName(node).get()).map(NodeNetwork::getStatus)
        .flatMap(s -> s.getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst())
        .map(c -> "True".equals(c.getStatus())).orElse(false);
  }
}
