package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.Objects;

/**
 * A node's subnet as the controller allocated it. The subnet never changes for the node's lifetime.
 * Only the controller writes it (config/admission); the rules below refuse what would cut a node's
 * pods off even when someone else writes it: a gateway that is not the subnet's first address, a
 * node IP peers could not route to.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The first address without address arithmetic or comparing addresses (CEL has the one; the other
// costs too much in the API server's estimate): the gateway lies in the subnet's first /31 block
// and is not its first address.
@ValidationRule(
    value = "!(isCIDR(self.podCIDR) && cidr(self.podCIDR).ip().family() == 4 && isIP(self.gateway) && ip(self.gateway).family() == 4) "
        + "|| (cidr(self.podCIDR).containsIP(self.gateway) "
        + "&& cidr(self.podCIDR.substring(0, self.podCIDR.indexOf('/')) + '/31').containsIP(self.gateway) "
        + "&& !cidr(self.podCIDR.substring(0, self.podCIDR.indexOf('/')) + '/32').containsIP(self.gateway))",
    message = "spec.gateway must be the first address of spec.podCIDR (e.g. 10.244.1.1 for 10.244.1.0/24): it is the bridge's address and every pod's default gateway, so an address outside the subnet, its network or broadcast address or any other cuts the node's pods off",
    fieldPath = ".gateway",
    reason = "FieldValueInvalid")
public class NodeNetworkSpec {

  @Required
  @Size(max = 253)
  @JsonPropertyDescription("The Node this network belongs to (also this object's name).")
  private String nodeName;

  @Required
  @Size(max = 18)
  @JsonPropertyDescription("The node's pod subnet, cut from the ClusterNetwork's ranges.")
  @ValidationRule(value = "isCIDR(self) && cidr(self).ip().family() == 4", message = "spec.podCIDR must be an IPv4 CIDR", reason = "FieldValueInvalid")
  @ValidationRule(
      value = "!isCIDR(self) || string(cidr(self).masked()) == self",
      message = "spec.podCIDR must be an IPv4 network in canonical form, like 10.244.1.0/24 (no host bits set, no leading zeros): routes and the CNI config are cut from it",
      reason = "FieldValueInvalid")
  // Peers route the whole podCIDR to this node: 0.0.0.0/0 would become a default route on every
  // node, 127.0.0.0/24 a gateway on loopback's range, a /31 a subnet without a pod address.
  @ValidationRule(
      value = "!isCIDR(self) || cidr(self).ip().family() != 4 || (cidr(self).ip().isGlobalUnicast() && cidr(self).prefixLength() >= 8 && cidr(self).prefixLength() <= 30)",
      message = "spec.podCIDR must be a unicast network of at least /8 and at most /30, like 10.244.1.0/24: peers route all of it to this node and pods need addresses in it",
      reason = "FieldValueInvalid")
  @ValidationRule(value = "self == oldSelf", message = "spec.podCIDR is immutable: pods on the node hold addresses from it, and the node keeps its subnet for as long as the Node exists (deleting the NodeNetwork or its SubnetClaim gives the same subnet back). To give the node another subnet, drain it and delete the Node; it gets a free subnet when it registers again", reason = "FieldValueForbidden")
  private String podCIDR;

  @Required
  @Size(max = 15)
  @JsonPropertyDescription("The bridge's address and the pods' default gateway: the first address of podCIDR.")
  @ValidationRule(value = "isIP(self) && ip(self).family() == 4", message = "spec.gateway must be an IPv4 address", reason = "FieldValueInvalid")
  private String gateway;

  @Size(max = 15)
  @JsonPropertyDescription("The Node's InternalIP (or ExternalIP when it has none): where peers route this node's pod subnet. Empty while the Node reports no IPv4 address.")
  @ValidationRule(value = "self == '' || (isIP(self) && ip(self).family() == 4)", message = "spec.nodeIP must be an IPv4 address", reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self == '' || !isIP(self) || (ip.isCanonical(self) && ip(self).isGlobalUnicast())",
      message = "spec.nodeIP must be the node's unicast address in canonical form (not loopback, link-local, multicast, broadcast or 0.0.0.0): peers route this node's pods to it; the controller copies it from the Node's InternalIP",
      reason = "FieldValueInvalid")
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
