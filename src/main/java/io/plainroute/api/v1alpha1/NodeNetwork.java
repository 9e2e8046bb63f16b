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
// The lists: one entry per family (the controller adds them to objects written before they existed)
@AdditionalPrinterColumn(name = "POD-CIDRS", jsonPath = ".spec.podCIDRs", type = Type.STRING)
@AdditionalPrinterColumn(name = "GATEWAYS", jsonPath = ".spec.gateways", type = Type.STRING)
@AdditionalPrinterColumn(name = "NODE-IPS", jsonPath = ".spec.nodeIPs", type = Type.STRING)
@AdditionalPrinterColumn(name = "ROUTES", jsonPath = ".status.routes", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class NodeNetwork extends CustomResource<NodeNetworkSpec, NodeNetworkStatus> {

  @Override
  protected NodeNetworkStatus initStatus() {
    return new NodeNetworkStatus();
  }
}
