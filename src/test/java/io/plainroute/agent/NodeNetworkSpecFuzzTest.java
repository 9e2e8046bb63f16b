package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.netlink.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Peers' NodeNetwork specs as anyone with write access to the API could leave them — any podCIDR,
 * any nodeIP, no spec at all — turned into this node's desired dataplane. Whatever they hold, the
 * result is typed: a route, or an unreachable peer with its reason; never an exception that would
 * stop the agent's reconcile. And every route the agent is handed is one the kernel accepts: a
 * destination without host bits (the kernel refuses {@code 10.244.3.7/24} with EINVAL).
 */
class NodeNetworkSpecFuzzTest {
  private static final NodeNetworkSpec OWN = new NodeNetworkSpec("self", "10.244.0.0/24", "10.244.0.1", "192.168.1.11");
  private static final NodeUplink UPLINK = new NodeUplink(2, "eth0", "02:00:00:00:00:01", 1500, List.of(Ipv4Prefix.parse("192.168.1.0/24")));

  @FuzzTest
  void anyPeerSpecGivesARouteOrAReason(FuzzedDataProvider data) {
    ClusterNetworkSpec cluster = new ClusterNetworkSpec();
    cluster.setClusterCIDRs(List.of("10.244.0.0/16"));
    List<NodeNetwork> peers = new ArrayList<>();
    int count = data.consumeInt(0, 4);
    for (int i = 0; i < count; i++) {
      NodeNetwork peer = new NodeNetwork();
      peer.setMetadata(new ObjectMetaBuilder().withName("peer" + i).build());
      if (data.consumeBoolean()) {
        peer.setSpec(new NodeNetworkSpec("peer" + i, nullable(data), nullable(data), nullable(data)));
      }
      peers.add(peer);
    }
    DesiredDataplane desired = DesiredDataplane.of(cluster, OWN, peers, Optional.of(UPLINK));
    for (PeerRoute route : desired.routes()) {
      assertThat(route.podCIDR().network()).as("destination of %s without host bits", route).isEqualTo(route.podCIDR());
    }
  }

  private static String nullable(FuzzedDataProvider data) {
    return data.consumeBoolean() ? null : data.consumeString(24);
  }
}
