package io.plainroute.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster's pod address ranges and how they are cut into node subnets. One per cluster: a
 * second one is reported as a conflict and ignored.
 */
@Group(ClusterNetwork.GROUP)
@Version(ClusterNetwork.VERSION)
// What OLM consoles show for this API (the bundle's owned CRDs)
@CSVMetadata(displayName = "Cluster Network", description = "The cluster's pod address ranges (e.g. 10.244.0.0/16) and the prefix length they are cut into, one subnet per node (e.g. /24). Create one, named default; its status counts allocated and free subnets.")
@ShortNames("cn")
@AdditionalPrinterColumn(name = "CIDRS", jsonPath = ".spec.clusterCIDRs", type = Type.STRING)
@AdditionalPrinterColumn(name = "NODE-PREFIX", jsonPath = ".spec.nodeSubnetPrefixLength", type = Type.INTEGER)
// Shown also in an IPv4 cluster (it is defaulted there too), so only in the wide view.
@AdditionalPrinterColumn(name = "NODE-PREFIX-IPV6", jsonPath = ".spec.nodeSubnetPrefixLengthIPv6", type = Type.INTEGER, priority = 1)
@AdditionalPrinterColumn(name = "ALLOCATED", jsonPath = ".status.allocated", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "CAPACITY", jsonPath = ".status.capacity", type = Type.INTEGER)
@AdditionalPrinterColumn(name = "READY", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class ClusterNetwork extends CustomResource<ClusterNetworkSpec, ClusterNetworkStatus> {
  public static final String GROUP = "plainroute.io";
  public static final String VERSION = "v1alpha1";

  /**
   * Which of the ClusterNetworks is the cluster's: the oldest (ties within a second go by name).
   * The others are reported as conflicts and ignored, by the controller and the agents alike.
   */
  public static Optional<String> active(List<ClusterNetwork> all) {
    return all.stream()
        .filter(cn -> cn.getMetadata().getDeletionTimestamp() == null)
        .min(Comparator.comparing((ClusterNetwork cn) -> Objects.requireNonNullElse(cn.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(cn -> cn.getMetadata().getName()))
        .map(cn -> cn.getMetadata().getName());
  }

  @Override
  protected ClusterNetworkStatus initStatus() {
    return new ClusterNetworkStatus();
  }
}
