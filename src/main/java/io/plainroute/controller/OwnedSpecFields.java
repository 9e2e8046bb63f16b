package io.plainroute.controller;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.api.v1alpha1.NodeNetworkSpec;
import io.plainroute.ipam.Cidrs;
import io.plainroute.status.EventRecorder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Puts back the NodeNetwork spec fields that follow from the allocation when someone else changed
 * them: {@code gateway} and {@code gateways} (the first address of each subnet: the bridge's addresses and every pod's
 * default gateway, so an edit cuts the node's pods off) and {@code nodeName} (the object's name).
 * {@code podCIDR} is immutable (CEL) and {@code nodeIP} follows the Node's address in the
 * allocation pass. Admission keeps everyone but the controller out of the spec; this is for
 * clusters without config/admission and for administrators who bypass it.
 */
final class OwnedSpecFields {
  private static final Logger LOG = Logger.getLogger(OwnedSpecFields.class);

  private final KubernetesClient client;
  private final EventRecorder events;

  OwnedSpecFields(KubernetesClient client, EventRecorder events) {
    this.client = client;
    this.events = events;
  }

  /** @return how many reverts failed (to be retried) */
  int revert(List<NodeNetwork> nodeNetworks) {
    int failed = 0;
    for (NodeNetwork nn : nodeNetworks) {
      Map<String, Object> wanted = changed(nn);
      if (wanted.isEmpty()) {
        continue;
      }
      String name = nn.getMetadata().getName();
      String found = describe(nn.getSpec(), wanted.keySet());
      try {
        // Carries the resourceVersion it was decided on: a concurrent change is looked at again.
        client.resources(NodeNetwork.class).withName(name).patch(PatchContext.of(PatchType.JSON_MERGE), patch(nn, wanted));
      } catch (KubernetesClientException e) {
        failed++;
        LOG.debugf("NodeNetwork %s: could not revert %s (%s); retrying", name, found, e.getMessage());
        continue;
      }
      String message = "spec of NodeNetwork " + name + " was changed by someone else (" + found + "); put back "
          + wanted + ". Only the controller writes this spec: to move the node to another subnet, drain and delete the Node.";
      LOG.warn(message);
      events.record(nn, EventRecorder.Type.Warning, "SpecReverted", message);
    }
    return failed;
  }

  /**
   * The fields that differ from what the allocation says, with the values they must have. The
   * primary gateway is written in both {@code gateway} and {@code gateways[0]} (the API server
   * demands they agree), each family's in {@code gateways}.
   */
  static Map<String, Object> changed(NodeNetwork nn) {
    NodeNetworkSpec spec = nn.getSpec();
    Map<String, Object> wanted = new LinkedHashMap<>();
    if (spec == null) {
      return wanted;
    }
    String name = nn.getMetadata().getName();
    if (!name.equals(spec.getNodeName())) {
      wanted.put("nodeName", name);
    }
    gatewayOf(spec.getPodCIDR()).filter(g -> !g.equals(spec.getGateway())).ifPresent(g -> wanted.put("gateway", g));
    if (spec.getGateways() != null && spec.getPodCIDRs() != null) {
      List<String> gateways = spec.getPodCIDRs().stream().map(OwnedSpecFields::gatewayOf).flatMap(Optional::stream).toList();
      if (gateways.size() == spec.getPodCIDRs().size() && !gateways.equals(spec.getGateways())) {
        wanted.put("gateway", gateways.get(0));
        wanted.put("gateways", gateways);
      }
    }
    return wanted;
  }

  private static Optional<String> gatewayOf(String podCIDR) {
    return Cidrs.network(podCIDR).map(s -> Cidrs.gateway(s).toCanonicalString());
  }

  private String patch(NodeNetwork nn, Map<String, Object> wanted) {
    return client.getKubernetesSerialization().asJson(Map.of(
        "metadata", Map.of("resourceVersion", nn.getMetadata().getResourceVersion()),
        "spec", wanted));
  }

  private static String describe(NodeNetworkSpec spec, Iterable<String> fields) {
    List<String> found = new ArrayList<>();
    for (String field : fields) {
      Object value = switch (field) {
        case "gateway" -> spec.getGateway();
        case "gateways" -> spec.getGateways();
        default -> spec.getNodeName();
      };
      found.add(field + "=" + Objects.requireNonNullElse(value, ""));
    }
    return String.join(", ", found);
  }
}
