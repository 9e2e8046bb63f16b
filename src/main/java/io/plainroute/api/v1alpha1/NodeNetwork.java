package io.plainroute.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;

/**
 * One node's share of the pod network, named after its Node and owned by it. The controller writes
 * the spec; the agent on that node writes the status (except the Conflict condition, which the
 * controller owns).
 */
@Group(ClusterNetwork.GROUP)
@Version(ClusterNetwork.VERSION)
// What OLM consoles show for this API (the bundle's owned CRDs)
@CSVMetadata(displayName = "Node Network", description = "One node's pod subnet, gateway and node IP, written by the controller; its status is what the agent on that node programmed (bridge, routes, masquerade, CNI config) and which peers it cannot reach. Read-only for users: kubectl get nodenetworks.")
@ShortNames("nn")
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".spec.nodeName", type = Type.STRING)
// The primary family's values, as before dual-stack (one readable column each; the API server's
// printer takes one match of a path, so a list would print as JSON). The other family's values
// are the lists' second entries, shown by `kubectl get nodenetworks -o wide`.
@AdditionalPrinterColumn(name = "POD-CIDR", jsonPath = ".spec.podCIDR", type = Type.STRING)
@AdditionalPrinterColumn(name = "GATEWAY", jsonPath = ".spec.gateway", type = Type.STRING)
@AdditionalPrinterColumn(name = "NODE-IP", jsonPath = ".spec.nodeIP", type = Type.STRING)
@AdditionalPrinterColumn(name = "SECONDARY-POD-CIDR", jsonPath = ".spec.podCIDRs[1]", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "SECONDARY-GATEWAY", jsonPath = ".spec.gateways[1]", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "SECONDARY-NODE-IP", jsonPath = ".spec.nodeIPs[1]", type = Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "ROUTES", jsonPath = ".status.routes", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class NodeNetwork extends CustomResource<NodeNetworkSpec, NodeNetworkStatus> {

  @Override
  protected NodeNetworkStatus initStatus() {
    return new NodeNetworkStatus();
  }
}
