package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.NodeNetworkStatus;
import org.junit.jupiter.api.Test;

class PeerNodeNetworkStoreTest {
  private final PeerNodeNetworkStore store = new PeerNodeNetworkStore("node01");

  @Test
  void aPeerIsCachedWithItsSpecOnly() {
    NodeNetwork cached = putAndGet(nodeNetwork("node02", "10.244.1.0/24"));
    assertThat(cached.getSpec().getPodCIDR()).isEqualTo("10.244.1.0/24");
    assertThat(cached.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(cached.getStatus()).isNull();
    assertThat(cached.getMetadata().getManagedFields()).isNullOrEmpty();
  }

  @Test
  void theOwnNodeNetworkIsCachedWhole() {
    NodeNetwork cached = putAndGet(nodeNetwork("node01", "10.244.0.0/24"));
    assertThat(cached.getStatus().getBridge()).isEqualTo("cni0");
    assertThat(cached.getMetadata().getManagedFields()).hasSize(1);
  }

  private NodeNetwork putAndGet(NodeNetwork nodeNetwork) {
    store.put(store.getKey(nodeNetwork), nodeNetwork);
    return store.get(nodeNetwork.getMetadata().getName());
  }

  private static NodeNetwork nodeNetwork(String name, String podCIDR) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(new ObjectMetaBuilder().withName(name).withResourceVersion("7")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("plainroute-agent").withOperation("Update").build())
        .build());
    NodeNetworkSpec spec = new NodeNetworkSpec();
    spec.setNodeName(name);
    spec.setPodCIDR(podCIDR);
    nn.setSpec(spec);
    NodeNetworkStatus status = new NodeNetworkStatus();
    status.setBridge("cni0");
    nn.setStatus(status);
    return nn;
  }
}
