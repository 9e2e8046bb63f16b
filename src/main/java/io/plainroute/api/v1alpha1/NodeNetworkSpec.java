package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/** A node's subnet as the controller allocated it. The subnet never changes for the node's lifetime. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NodeNetworkSpec {

  @Required
  @Size(max = 253)
  @JsonPropertyDescription("The Node this network belongs to (also this object's name).")
  private String nodeName;

  @Required
  @Size(max = 18)
  @JsonPropertyDescription("The node's pod subnet, cut from the ClusterNetwork's ranges.")
  @ValidationRule(value = "isCIDR(self) && cidr(self).ip().family() == 4", message = "spec.podCIDR must be an IPv4 CIDR", reason = "FieldValueInvalid")
  @ValidationRule(value = "self == oldSelf", message = "spec.podCIDR is immutable: pods on the node hold addresses from it; delete the NodeNetwork to reallocate", reason = "FieldValueForbidden")
  private String podCIDR;

  @Required
  @Size(max = 15)
  @JsonPropertyDescription("The bridge's address and the pods' default gateway: the first address of podCIDR.")
  @ValidationRule(value = "isIP(self) && ip(self).family() == 4", message = "spec.gateway must be an IPv4 address", reason = "FieldValueInvalid")
  private String gateway;

  @Size(max = 15)
  @JsonPropertyDescription("The Node's InternalIP (or ExternalIP when it has none): where peers route this node's pod subnet. Empty while the Node reports no IPv4 address.")
  @ValidationRule(value = "self == '' || (isIP(self) && ip(self).family() == 4)", message = "spec.nodeIP must be an IPv4 address", reason = "FieldValueInvalid")
  private String nodeIP;

  public NodeNetworkSpec() {}

  public NodeNetworkSpec(String nodeName, String podCIDR, String gateway, String nodeIP) {
    this.nodeName = nodeName;
    this.podCIDR = podCIDR;
    this.gateway = gateway;
    this.nodeIP = nodeIP;
  }

  public String getNodeName() {
    return nodeName;
  }

  public void setNodeName(String nodeName) {
    this.nodeName = nodeName;
  }

  public String getPodCIDR() {
    return podCIDR;
  }

  public void setPodCIDR(String podCIDR) {
    this.podCIDR = podCIDR;
  }

  public String getGateway() {
    return gateway;
  }

  public void setGateway(String gateway) {
    this.gateway = gateway;
  }

  public String getNodeIP() {
    return nodeIP;
  }

  public void setNodeIP(String nodeIP) {
    this.nodeIP = nodeIP;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkSpec s
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(podCIDR, s.podCIDR)
        && Objects.equals(gateway, s.gateway)
        && Objects.equals(nodeIP, s.nodeIP);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeName, podCIDR, gateway, nodeIP);
  }
}
