package io.plainroute.agent;

import static io.plainroute.testing.TestNamespaces.exec;
import static io.plainroute.testing.TestNamespaces.ip;
import static io.plainroute.testing.TestNamespaces.ipJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import inet.ipaddr.IPAddressString;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.testing.CniRuntime;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conflist the agent writes works with the reference CNI plugins: the test plays the container
 * runtime ({@link CniRuntime}) on a "node" network namespace and attaches "pod" namespaces to it.
 * Everything happens inside namespaces the test creates; no traffic leaves them.
 */
class CniPluginsIT {
  private static final Path DEFAULT_IPAM_STATE = Path.of("/var/lib/cni/networks", CniConfig.NETWORK_NAME);

  private final TestNamespaces namespaces = new TestNamespaces("prcni");

  @TempDir
  Path work;

  /** A node's network as the agent would be told it. */
  record Topology(String bridgeName, int mtu, String podCidr, String gateway) {
    CniConfig config() {
      return new CniConfig(bridgeName, mtu, Ipv4Prefix.parse(podCidr), Ipv4Prefix.parseAddress(gateway));
    }

    @Override
    public String toString() {
      return podCidr + " on " + bridgeName + ", mtu " + mtu;
    }
  }

  static Stream<Topology> topologies() {
    return Stream.of(
        new Topology("cni0", 1500, "10.244.1.0/24", "10.244.1.1"),
        new Topology("plr0", 1400, "172.30.8.0/26", "172.30.8.1"));
  }

  @BeforeEach
  void requireRootAndPlugins() {
    assumeTrue(TestNamespaces.isRoot() && Files.exists(CniRuntime.REFERENCE_PLUGINS.resolve("bridge")),
        "needs root (creates network namespaces) and the reference CNI plugins in /usr/lib/cni "
            + "(Debian/Ubuntu: apt-get install containernetworking-plugins)");
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    namespaces.close();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("topologies")
  void attachesPodsToTheNodesBridgeAndDetachesThem(Topology topology) throws Exception {
    boolean defaultIpamStateExisted = Files.exists(DEFAULT_IPAM_STATE);
    CniConfig config = topology.config();
    CniConfigWriter writer = new CniConfigWriter(work.resolve("net.d"));
    writer.write(config);
    Path ipamState = work.resolve("ipam");
    CniRuntime runtime = new CniRuntime(CniRuntime.REFERENCE_PLUGINS, Optional.of(ipamState));
    String node = namespaces.create();
    String firstPod = namespaces.create();
    String secondPod = namespaces.create();

    CniRuntime.Result first = runtime.add(writer.file(), node, firstPod, "eth0");

    Ipv4Prefix firstAddress = podAddress(first, config);
    assertThat(addressesOf(firstPod, "eth0")).containsExactly(firstAddress.toString());
    assertThat(ip(firstPod, "route", "show", "default"))
        .isEqualTo("default via " + topology.gateway() + " dev eth0 \n");
    assertThat(ipJson(firstPod, "link", "show", "dev", "eth0").get(0).get("mtu").asInt()).isEqualTo(topology.mtu());
    // isGateway: the bridge plugin made the bridge in the node's namespace and gave it the gateway.
    JsonNode bridge = ipJson(node, "-d", "link", "show", "dev", topology.bridgeName()).get(0);
    assertThat(bridge.path("linkinfo").path("info_kind").asText()).isEqualTo("bridge");
    assertThat(bridge.get("mtu").asInt()).isEqualTo(topology.mtu());
    assertThat(addressesOf(node, topology.bridgeName()))
        .containsExactly(topology.gateway() + "/" + config.podCidr().length());
    String firstVeth = hostVeth(first, topology);
    JsonNode bridgePort = ipJson(node, "-d", "link", "show", "dev", firstVeth).get(0);
    assertThat(bridgePort.get("master").asText()).isEqualTo(topology.bridgeName());
    assertThat(bridgePort.path("linkinfo").path("info_slave_data").path("hairpin").asBoolean()).as("hairpin").isTrue();
    exec(firstPod, "ping", "-c", "1", "-W", "2", topology.gateway());

    CniRuntime.Result second = runtime.add(writer.file(), node, secondPod, "eth0");

    Ipv4Prefix secondAddress = podAddress(second, config);
    assertThat(secondAddress).isNotEqualTo(firstAddress);
    exec(secondPod, "ping", "-c", "1", "-W", "2", firstAddress.address().getHostAddress());
    Path allocations = ipamState.resolve(CniConfig.NETWORK_NAME);
    assertThat(allocations.resolve(firstAddress.address().getHostAddress())).exists();
    assertThat(allocations.resolve(secondAddress.address().getHostAddress())).exists();

    runtime.del(writer.file(), node, firstPod, "eth0");

    assertThat(allocations.resolve(firstAddress.address().getHostAddress())).doesNotExist();
    assertThat(linkNames(node)).doesNotContain(firstVeth).contains(topology.bridgeName(), hostVeth(second, topology));
    assertThat(linkNames(firstPod)).containsExactly("lo");
    exec(secondPod, "ping", "-c", "1", "-W", "2", topology.gateway());

    runtime.del(writer.file(), node, secondPod, "eth0");
    // A runtime may repeat DEL (after a crash, say); the plugins must take it calmly.
    runtime.del(writer.file(), node, secondPod, "eth0");

    assertThat(allocations.resolve(secondAddress.address().getHostAddress())).doesNotExist();
    assertThat(linkNames(node)).containsExactly("lo", topology.bridgeName());
    assertThat(Files.exists(DEFAULT_IPAM_STATE)).as("state in %s", DEFAULT_IPAM_STATE).isEqualTo(defaultIpamStateExisted);
  }

  /** The pod's one address: in the node's subnet, neither the gateway nor network or broadcast. */
  private static Ipv4Prefix podAddress(CniRuntime.Result result, CniConfig config) {
    assertThat(result.addresses()).hasSize(1);
    Ipv4Prefix address = result.addresses().get(0);
    assertThat(address.network()).as("subnet of %s", address).isEqualTo(config.podCidr());
    assertThat(address.address()).isNotEqualTo(config.ranges().get(0).gateway());
    assertThat(address.isNetwork()).as("%s is the network address", address).isFalse();
    String broadcast = new IPAddressString(config.podCidr().toString()).getAddress().getUpper()
        .withoutPrefixLength().toCanonicalString();
    assertThat(address.address().getHostAddress()).isNotEqualTo(broadcast);
    return address;
  }

  /** The host end of the pod's veth, named in the ADD result. */
  private static String hostVeth(CniRuntime.Result result, Topology topology) {
    List<String> names = new ArrayList<>(result.hostInterfaces());
    names.remove(topology.bridgeName());
    assertThat(names).hasSize(1);
    return names.get(0);
  }

  private static List<String> addressesOf(String namespace, String device) throws Exception {
    List<String> addresses = new ArrayList<>();
    for (JsonNode address : ipJson(namespace, "-4", "address", "show", "dev", device).get(0).get("addr_info")) {
      addresses.add(address.get("local").asText() + "/" + address.get("prefixlen").asInt());
    }
    return addresses;
  }

  private static List<String> linkNames(String namespace) throws Exception {
    List<String> names = new ArrayList<>();
    ipJson(namespace, "link", "show").forEach(link -> names.add(link.get("ifname").asText()));
    return names;
  }
}
