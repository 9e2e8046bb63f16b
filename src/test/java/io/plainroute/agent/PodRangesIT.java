package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.cluster;
import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.api.v1alpha1.ClusterNetworkSpec;
import io.plainroute.testing.TestNamespaces;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A ClusterNetwork replaced by one with another range while every node still holds a subnet of
 * the old one (issue 10, case 4): masquerade must keep covering every pod subnet in use, or pod
 * egress leaves unmasqueraded and traffic between pods gets masqueraded.
 */
class PodRangesIT extends NodeKernelTestBase {

  PodRangesIT() {
    super("prpr");
  }

  @Test
  void masqueradeCoversNodeSubnetsHeldOutsideTheClusterRanges() throws Exception {
    ClusterNetworkSpec replaced = cluster();
    replaced.setClusterCIDRs(List.of("10.245.0.0/16"));

    DataplaneReport report = pass(replaced, List.of(peer("node02", "10.244.2.0/24", "192.168.1.12")));

    assertThat(report.masquerade().ok()).as(report.masquerade().message()).isTrue();
    String set = TestNamespaces.exec(namespace, "nft", "list", "set", "inet", "plainroute", "cluster_ranges");
    assertThat(set).contains("10.245.0.0/16").contains("10.244.1.0/24").contains("10.244.2.0/24");
  }
}
