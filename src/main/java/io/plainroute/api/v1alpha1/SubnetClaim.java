package io.plainroute.api.v1alpha1;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;
import io.quarkiverse.operatorsdk.annotations.CSVMetadata;

/**
 * The controller's lock on one subnet, named after it (10.244.3.0/24 is {@code 10.244.3.0-24}).
 * Creating an object whose name is taken fails, so the API server, not any controller's memory,
 * decides who holds a subnet: two controller instances acting at once cannot hand out the same
 * subnet. This is the pattern Kubernetes itself adopted for Service IPs (one IPAddress object per
 * address) in place of a shared bitmap. Internal: users read NodeNetworks.
 */
@Group(ClusterNetwork.GROUP)
@Version(ClusterNetwork.VERSION)
// What OLM consoles show for this API (the bundle's owned CRDs)
@CSVMetadata(displayName = "Subnet Claim", description = "Internal: the controller's lock on one subnet, named after it, so that two controller instances can never hand out the same subnet. Not for users to create or edit.")
@AdditionalPrinterColumn(name = "CIDR", jsonPath = ".spec.cidr", type = Type.STRING)
@AdditionalPrinterColumn(name = "NODE", jsonPath = ".spec.nodeName", type = Type.STRING)
@AdditionalPrinterColumn(name = "AGE", jsonPath = ".metadata.creationTimestamp", type = Type.DATE)
public class SubnetClaim extends CustomResource<SubnetClaimSpec, Void> {}
