package io.plainroute.api.v1alpha1;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** Which node holds the subnet. Immutable: a claim is released by deleting it. */
@ValidationRule(value = "self == oldSelf", message = "a SubnetClaim is immutable: delete it to release the subnet", reason = "FieldValueForbidden")
public class SubnetClaimSpec {
  @Required
  @Size(max = 43)
  private String cidr;

  @Required
  @Size(max = 253)
  private String nodeName;

  @Required
  @Size(max = 253)
  private String clusterNetwork;

  public SubnetClaimSpec() {}

  public SubnetClaimSpec(String cidr, String nodeName, String clusterNetwork) {
    this.cidr = cidr;
    this.nodeName = nodeName;
    this.clusterNetwork = clusterNetwork;
  }

  public String getCidr() {
    return cidr;
  }

  public void setCidr(String cidr) {
    this.cidr = cidr;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getClusterNetwork() {
    return clusterNetwork;
  }

  public void setClusterNetwork(String clusterNetwork) {
    this.clusterNetwork = clusterNetwork;
  }
}
