package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import io.plainroute.api.v1alpha1.Uplink;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeConflictsTest {

  @Test
  void findsNodesSharingAnIPAndNamesThemAll() {
    var found = NodeConflicts.find(List.of(nn("a", "192.168.1.11", null), nn("b", "192.168.1.11", null),
        nn("c", "192.168.1.11", null), nn("d", "192.168.1.14", null)));
    assertThat(found).containsOnlyKeys("a", "b", "c");
    assertThat(found.get("b").reason()).isEqualTo("DuplicateNodeIP");
    assertThat(found.get("b").message()).contains("Nodes a, b, c all report node IP 192.168.1.11");
  }

  @Test
  void findsClonedMacsButIgnoresUnknownOnes() {
    var found = NodeConflicts.find(List.of(nn("a", "10.0.0.1", "02:00:00:00:00:01"), nn("b", "10.0.0.2", "02:00:00:00:00:01"),
        nn("c", "10.0.0.3", null), nn("d", "10.0.0.4", null), nn("e", "", null), nn("f", "", null)));
    assertThat(found).containsOnlyKeys("a", "b");
    assertThat(found.get("a").reason()).isEqualTo("DuplicateMAC");
  }

  @Test
  void aDuplicateIPIsReportedBeforeADuplicateMac() {
    var found = NodeConflicts.find(List.of(nn("a", "10.0.0.1", "02:00:00:00:00:01"), nn("b", "10.0.0.1", "02:00:00:00:00:01")));
    assertThat(found.get("a").reason()).isEqualTo("DuplicateNodeIP");
  }

  private static NodeNetwork nn(String name, String ip, String mac) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).build());
    nn.setSpec(new NodeNetworkSpec(name, "10.244.0.0/24", "10.244.0.1", ip));
    if (mac != null) {
      NodeNetworkStatus status = new NodeNetworkStatus();
      Uplink uplink = new Uplink();
      uplink.setMac(mac);
      status.setUplink(uplink);
      nn.setStatus(status);
    }
    return nn;
  }
}
