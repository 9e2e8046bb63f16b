package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.cluster;

import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.testing.KernelTestBase;
import io.plainroute.testing.TestNamespaces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of the agent's kernel tests without an API server: a node namespace with its uplink
 * {@code eth0} at 192.168.1.11/24 and the agent's {@link NodeDataplane} on it; tests run passes
 * from API objects they make themselves.
 */
abstract class NodeKernelTestBase extends KernelTestBase {
  static final int PROTOCOL = 202;
  static final NodeNetworkSpec OWN = new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11");

  @TempDir
  Path cniDir;
  String namespace;
  NetlinkHandle netlink;
  NodeDataplane dataplane;

  NodeKernelTestBase(String prefix) {
    super(prefix);
  }

  @BeforeEach
  void aNodeNamespace() throws Exception {
    namespace = newNamespace();
    ip("link", "add", "eth0", "type", "veth", "peer", "name", "lan0");
    ip("addr", "add", "192.168.1.11/24", "dev", "eth0");
    ip("link", "set", "lan0", "up");
    ip("link", "set", "eth0", "up");
    netlink = netlink(namespace);
    dataplane = new NodeDataplane(netlink, PROTOCOL, masquerade(namespace), new CniConfigWriter(cniDir));
  }

  /** One pass, as the reconciler runs it, with these peers. */
  DataplaneReport pass(List<NodeNetwork> peers) {
    return pass(cluster(), peers);
  }

  /** One pass, as the reconciler runs it, with this ClusterNetwork and these peers. */
  DataplaneReport pass(ClusterNetworkSpec clusterNetwork, List<NodeNetwork> peers) {
    try {
      return dataplane.pass(clusterNetwork, own(), peers, List.of(), dataplane.interfaces());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** This node's NodeNetwork spec; a dual-stack test gives its own. */
  NodeNetworkSpec own() {
    return OWN;
  }

  String ip(String... args) throws Exception {
    return TestNamespaces.ip(namespace, args);
  }
}
