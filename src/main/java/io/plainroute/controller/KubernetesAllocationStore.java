package io.plainroute.controller;

import inet.ipaddr.IPAddress;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.api.v1alpha1.SubnetClaim;
import io.plainroute.api.v1alpha1.SubnetClaimSpec;
import io.plainroute.ipam.Cidrs;
import io.plainroute.status.EventRecorder;
import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/** {@link AllocationStore} on the Kubernetes API: the API server arbitrates every claim. */
final class KubernetesAllocationStore implements AllocationStore {
  private static final Logger LOG = Logger.getLogger(KubernetesAllocationStore.class);
  private final KubernetesClient client;
  private final EventRecorder events;

  KubernetesAllocationStore(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  @Override
  public List<NodeNetwork> listNodeNetworks() {
    return client.resources(NodeNetwork.class).list().getItems();
  }

  @Override
  public List<SubnetClaim> listClaims() {
    return client.resources(SubnetClaim.class).list().getItems();
  }

  @Override
  public boolean nodeExists(String name) {
    return client.nodes().withName(name).get() != null;
  }

  @Override
  public Optional<SubnetClaim> claim(IPAddress subnet, Node node, String clusterNetwork) {
    SubnetClaim claim = new SubnetClaim();
    claim.setMetadata(ownedBy(node, Cidrs.objectName(subnet), clusterNetwork));
    claim.setSpec(new SubnetClaimSpec(subnet.toCanonicalString(), node.getMetadata().getName(), clusterNetwork));
    try {
      return Optional.of(client.resource(claim).create());
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public void release(SubnetClaim claim) {
    deleteUnchanged(claim);
    LOG.debugf("released claim %s of node %s", claim.getSpec().getCidr(), claim.getSpec().getNodeName());
  }

  @Override
  public Created<NodeNetwork> createNodeNetwork(Node node, NodeNetworkSpec spec, String clusterNetwork) {
    NodeNetwork nn = new NodeNetwork();
    nn.setMetadata(ownedBy(node, node.getMetadata().getName(), clusterNetwork));
    nn.setSpec(spec);
    try {
      return new Created<>(client.resource(nn).create(), true);
    } catch (KubernetesClientException e) {
      if (e.getCode() == HttpURLConnection.HTTP_CONFLICT) {
        NodeNetwork existing = client.resources(NodeNetwork.class).withName(node.getMetadata().getName()).get();
        if (existing != null) {
          return new Created<>(existing, false);
        }
      }
      throw e;
    }
  }

  @Override
  public void deleteNodeNetwork(NodeNetwork nodeNetwork) {
    deleteUnchanged(nodeNetwork);
  }

  @Override
  public NodeNetwork updateAddresses(NodeNetwork nodeNetwork, NodeNetworkSpec spec) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("nodeIP", spec.getNodeIP());
    fields.put("podCIDRs", spec.getPodCIDRs());
    fields.put("gateways", spec.getGateways());
    fields.put("nodeIPs", spec.getNodeIPs());
    // No resourceVersion: the agent's status writes would make it fail all the time. The API server's
    // rules keep a racing write safe: podCIDRs entries are immutable and the list cannot shrink.
    Map<String, Object> patch = Map.of("spec", fields);
    return client.resources(NodeNetwork.class).withName(nodeNetwork.getMetadata().getName())
        .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
  }

  @Override
  public void setNodePodCIDRs(Node node, List<String> podCIDRs) {
    Map<String, Object> patch = Map.of("spec", Map.of("podCIDR", podCIDRs.get(0), "podCIDRs", podCIDRs));
    try {
      // resource(item), not withName(): fabric8 GETs the object before a patch of a name alone.
      client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node.getMetadata().getName()).endMetadata().build())
          .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(patch));
    } catch (KubernetesClientException e) {
      // Node.spec.podCIDR(s) can be set once; someone else (kube-controller-manager's IPAM?) was first.
      LOG.warnf("node %s: could not set spec.podCIDRs to %s: %s", node.getMetadata().getName(), podCIDRs,
          e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage());
    }
  }

  @Override
  public void recordEvent(Node node, EventType type, String reason, String message) {
    events.record(node, EventRecorder.Type.valueOf(type.name()), reason, message);
  }

  private static ObjectMeta ownedBy(Node node, String name, String clusterNetwork) {
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("v1").withKind("Node")
        .withName(node.getMetadata().getName()).withUid(node.getMetadata().getUid()).build();
    return new ObjectMetaBuilder().withName(name)
        .withLabels(Labels.of(clusterNetwork, node.getMetadata().getName()))
        .withOwnerReferences(owner).build();
  }

  /** Deletes what was read, not what may have replaced it since: the resourceVersion must match. */
  private void deleteUnchanged(HasMetadata item) {
    try {
      client.resource(item).lockResourceVersion().delete();
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_NOT_FOUND) {
        throw e;
      }
    }
  }
}
