package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlimStoreTest {

  @Test
  void keepsWhatAllocationReadsAndDropsTheRestOfAKubeletsNode() {
    Node kubelets = new NodeBuilder()
        .withNewMetadata().withName("node01").withUid("u-1").withResourceVersion("42").withCreationTimestamp("2026-11-25T10:00:00Z")
        .withLabels(Map.of("kubernetes.io/hostname", "node01", "pool", "a")).withAnnotations(Map.of("node.alpha/ttl", "0"))
        .addNewManagedField().withManager("kubelet").withOperation("Update").endManagedField().endMetadata()
        .withNewSpec().withPodCIDR("10.244.1.0/24").withPodCIDRs("10.244.1.0/24").withProviderID("lab://node01").endSpec()
        .withNewStatus()
        .addNewAddress().withType("InternalIP").withAddress("192.168.1.11").endAddress()
        .addNewAddress().withType("Hostname").withAddress("node01").endAddress()
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewImage().withNames("registry.k8s.io/pause:3.10").withSizeBytes(300_000L).endImage()
        .withCapacity(Map.of("cpu", new Quantity("2")))
        .withNewNodeInfo().withKubeletVersion("v1.34.4").endNodeInfo()
        .endStatus()
        .build();

    SlimStore<Node> store = SlimStore.nodes();
    store.put(store.getKey(kubelets), kubelets);
    Node cached = store.get("node01");

    assertThat(cached.getMetadata().getName()).isEqualTo("node01");
    assertThat(cached.getMetadata().getUid()).isEqualTo("u-1");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("42");
    assertThat(cached.getMetadata().getCreationTimestamp()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(cached.getMetadata().getLabels()).containsEntry("pool", "a");
    assertThat(NodeAddresses.nodeIP(cached, io.plainroute.ipam.Family.IPv4)).contains("192.168.1.11");
    assertThat(NodeAddresses.podCIDR(cached)).contains("10.244.1.0/24");
    assertThat(cached.getMetadata().getManagedFields()).isEmpty();
    assertThat(cached.getMetadata().getAnnotations()).isEmpty();
    assertThat(cached.getSpec().getProviderID()).isNull();
    assertThat(cached.getStatus().getAddresses()).hasSize(1);
    assertThat(List.of(cached.getStatus().getConditions(), cached.getStatus().getImages())).allMatch(List::isEmpty);
    assertThat(cached.getStatus().getCapacity()).isEmpty();
    assertThat(cached.getStatus().getNodeInfo()).isNull();
  }

  @Test
  void dropsManagedFieldsAndKeepsTheRest() {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName("node01").withResourceVersion("7")
        .addNewManagedField().withManager("plainroute").withOperation("Update").endManagedField().build());
    nn.setSpec(new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11"));

    SlimStore<NodeNetwork> store = SlimStore.withoutManagedFields();
    store.put(store.getKey(nn), nn);

    NodeNetwork cached = store.get("node01");
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(cached.getSpec()).isEqualTo(new NodeNetworkSpec("node01", "10.244.1.0/24", "10.244.1.1", "192.168.1.11"));
  }
}
