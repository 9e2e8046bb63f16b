package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Objects;

/**
 * A node's subnets as the controller allocated them, one per family of the ClusterNetwork. A subnet
 * never changes for the node's lifetime. Only the controller writes the spec (config/admission); the
 * rules below refuse what would cut a node's pods off even when someone else writes it: a gateway
 * that is not its subnet's first address, a node IP peers could not route to.
 *
 * <p>{@code podCIDR}, {@code gateway} and {@code nodeIP} are the primary family's (like
 * Node.spec.podCIDR beside podCIDRs); the lists hold every family's, primary first. Objects written
 * before the lists existed have none: read them with {@link #allPodCIDRs()} and its siblings.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
// The first address without address arithmetic or comparing addresses (CEL has the one; the other
// costs too much in the API server's estimate): the gateway lies in the subnet's first /31 (/127)
// block and is not its first address.
@ValidationRule(
    value = "!(isCIDR(self.podCIDR) && isIP(self.gateway)) || " + NodeNetworkSpec.GATEWAY_IS_FIRST_ADDRESS,
    message = "spec.gateway must be the first address of spec.podCIDR, of the same family (e.g. 10.244.1.1 for 10.244.1.0/24, fd00:10:244:1::1 for fd00:10:244:1::/64): it is the bridge's address and every pod's default gateway, so an address outside the subnet, its network or broadcast address or any other cuts the node's pods off",
    fieldPath = ".gateway",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.nodeIP) || self.nodeIP == '' || !isIP(self.nodeIP) || !isCIDR(self.podCIDR) || ip(self.nodeIP).family() == cidr(self.podCIDR).ip().family()",
    message = "spec.nodeIP must be of the family of spec.podCIDR (peers route an IPv4 subnet via an IPv4 node address, an IPv6 subnet via an IPv6 one); leave it empty while the Node reports no address of that family",
    fieldPath = ".nodeIP",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.podCIDRs) || self.podCIDRs[0] == self.podCIDR",
    message = "spec.podCIDRs[0] must equal spec.podCIDR: the list holds every family's subnet, the primary (spec.podCIDR) first",
    fieldPath = ".podCIDRs",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.gateways) || (self.gateways[0] == self.gateway && has(self.podCIDRs) && self.gateways.size() == self.podCIDRs.size())",
    message = "spec.gateways must hold one gateway for each entry of spec.podCIDRs, in the same order, spec.gateways[0] equal to spec.gateway",
    fieldPath = ".gateways",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.gateways) || !has(self.podCIDRs) || self.gateways.size() < 2 || self.podCIDRs.size() < 2 "
        + "|| !isCIDR(self.podCIDRs[1]) || !isIP(self.gateways[1]) || " + NodeNetworkSpec.SECOND_GATEWAY_IS_FIRST_ADDRESS,
    message = "spec.gateways[1] must be the first address of spec.podCIDRs[1], of the same family (e.g. fd00:10:244:1::1 for fd00:10:244:1::/64): it is the bridge's address of that family and every pod's default gateway",
    fieldPath = ".gateways",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.nodeIPs) || (self.nodeIPs[0] == (has(self.nodeIP) ? self.nodeIP : '') && has(self.podCIDRs) && self.nodeIPs.size() == self.podCIDRs.size())",
    message = "spec.nodeIPs must hold one node address (or \"\") for each entry of spec.podCIDRs, in the same order, spec.nodeIPs[0] equal to spec.nodeIP",
    fieldPath = ".nodeIPs",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.nodeIPs) || !has(self.podCIDRs) || self.nodeIPs.size() < 2 || self.podCIDRs.size() < 2 "
        + "|| self.nodeIPs[1] == '' || !isIP(self.nodeIPs[1]) || !isCIDR(self.podCIDRs[1]) || ip(self.nodeIPs[1]).family() == cidr(self.podCIDRs[1]).ip().family()",
    message = "spec.nodeIPs[1] must be of the family of spec.podCIDRs[1]: peers route each subnet via the node's address of its family",
    fieldPath = ".nodeIPs",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(oldSelf.podCIDRs) || has(self.podCIDRs)",
    message = "spec.podCIDRs cannot be removed once set: pods on the node hold addresses from its subnets",
    fieldPath = ".podCIDRs",
    reason = "FieldValueForbidden")
public class NodeNetworkSpec {
  static final String GATEWAY_IS_FIRST_ADDRESS =
      "(cidr(self.podCIDR).ip().family() == ip(self.gateway).family() && cidr(self.podCIDR).containsIP(self.gateway) "
          + "&& cidr(self.podCIDR.substring(0, self.podCIDR.indexOf('/')) + (ip(self.gateway).family() == 4 ? '/31' : '/127')).containsIP(self.gateway) "
          + "&& !cidr(self.podCIDR.substring(0, self.podCIDR.indexOf('/')) + (ip(self.gateway).family() == 4 ? '/32' : '/128')).containsIP(self.gateway))";
  /**
   * {@code c} is a subnet peers may route to a node: unicast (holding no loopback, link-local or
   * multicast address, as ClusterNetwork's ranges), at least /8 and with room for the gateway and a
   * pod.
   */
  static final String UNICAST_POD_SUBNET =
      "(cidr(c).ip().isGlobalUnicast() && cidr(c).prefixLength() >= 8 && !cidr(c).containsIP('fe80::') "
          + "&& cidr(c).prefixLength() <= (cidr(c).ip().family() == 4 ? 30 : 126))";
  static final String SECOND_GATEWAY_IS_FIRST_ADDRESS =
      "(cidr(self.podCIDRs[1]).ip().family() == ip(self.gateways[1]).family() && cidr(self.podCIDRs[1]).containsIP(self.gateways[1]) "
          + "&& cidr(self.podCIDRs[1].substring(0, self.podCIDRs[1].indexOf('/')) + (ip(self.gateways[1]).family() == 4 ? '/31' : '/127')).containsIP(self.gateways[1]) "
          + "&& !cidr(self.podCIDRs[1].substring(0, self.podCIDRs[1].indexOf('/')) + (ip(self.gateways[1]).family() == 4 ? '/32' : '/128')).containsIP(self.gateways[1]))";

  @Required
  @Size(max = 253)
  @JsonPropertyDescription("The Node this network belongs to (also this object's name).")
  private String nodeName;

  @Required
  @Size(max = 43)
  @JsonPropertyDescription("The node's pod subnet of the primary family (the first of podCIDRs), cut from the ClusterNetwork's ranges.")
  @ValidationRule(value = "isCIDR(self)", message = "spec.podCIDR must be an IPv4 or IPv6 CIDR, like 10.244.1.0/24 or fd00:10:244:1::/64", reason = "FieldValueInvalid")
  @ValidationRule(
      value = "!isCIDR(self) || string(cidr(self).masked()) == self",
      message = "spec.podCIDR must be a network in canonical form, like 10.244.1.0/24 or fd00:10:244:1::/64 (no host bits set, no leading zeros, IPv6 in lowercase with zeros compressed): routes and the CNI config are cut from it",
      reason = "FieldValueInvalid")
  // Peers route the whole podCIDR to this node: 0.0.0.0/0 would become a default route on every
  // node, 127.0.0.0/24 a gateway on loopback's range, a /31 a subnet without a pod address.
  @ValidationRule(
      value = "!isCIDR(self) || [self].all(c, " + NodeNetworkSpec.UNICAST_POD_SUBNET + ")",
      message = "spec.podCIDR must be a unicast network of at least /8 and at most /30 (IPv6: /126), like 10.244.1.0/24 or fd00:10:244:1::/64: peers route all of it to this node and pods need addresses in it",
      reason = "FieldValueInvalid")
  @ValidationRule(value = "self == oldSelf", message = "spec.podCIDR is immutable: pods on the node hold addresses from it, and the node keeps its subnet for as long as the Node exists (deleting the NodeNetwork or its SubnetClaim gives the same subnet back). To give the node another subnet, drain it and delete the Node; it gets a free subnet when it registers again", reason = "FieldValueForbidden")
  private String podCIDR;

  @Required
  @Size(max = 39)
  @JsonPropertyDescription("The bridge's address and the pods' default gateway: the first address of podCIDR.")
  @ValidationRule(value = "isIP(self)", message = "spec.gateway must be an IPv4 or IPv6 address", reason = "FieldValueInvalid")
  private String gateway;

  @Size(max = 39)
  @JsonPropertyDescription("The Node's InternalIP of podCIDR's family (or ExternalIP when it has none): where peers route this node's pod subnet. Empty while the Node reports no address of that family.")
  @ValidationRule(value = "self == '' || isIP(self)", message = "spec.nodeIP must be an IPv4 or IPv6 address", reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self == '' || !isIP(self) || (ip.isCanonical(self) && ip(self).isGlobalUnicast())",
      message = "spec.nodeIP must be the node's unicast address in canonical form (not loopback, link-local, multicast, broadcast or unspecified): peers route this node's pods to it; the controller copies it from the Node's InternalIP",
      reason = "FieldValueInvalid")
  private String nodeIP;

  @Size(min = 1, max = 2)
  @JsonPropertyDescription("The node's pod subnets, one per family of the ClusterNetwork, the primary (podCIDR) first, as Node.spec.podCIDRs. Each entry is immutable once set; a second one is added when the ClusterNetwork gains a range of the other family.")
  @ValidationRule(
      value = "self.all(c, isCIDR(c) && string(cidr(c).masked()) == c)",
      message = "spec.podCIDRs: every entry must be a network in canonical form, like 10.244.1.0/24 or fd00:10:244:1::/64 (no host bits set, no leading zeros, IPv6 in lowercase with zeros compressed)",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self.all(c, !isCIDR(c) || " + NodeNetworkSpec.UNICAST_POD_SUBNET + ")",
      message = "spec.podCIDRs: every entry must be a unicast network of at least /8 and at most /30 (IPv6: /126), like 10.244.1.0/24 or fd00:10:244:1::/64: peers route all of it to this node and pods need addresses in it",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self.size() < 2 || !isCIDR(self[0]) || !isCIDR(self[1]) || cidr(self[0]).ip().family() != cidr(self[1]).ip().family()",
      message = "spec.podCIDRs holds at most one subnet per family (one IPv4, one IPv6): remove the second subnet of the same family",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self.size() >= oldSelf.size() && self[0] == oldSelf[0] && (oldSelf.size() < 2 || self[1] == oldSelf[1])",
      message = "spec.podCIDRs: entries are immutable once set (pods on the node hold addresses from them); only a subnet of a new family may be appended. To give the node other subnets, drain it and delete the Node",
      reason = "FieldValueForbidden")
  private List<@Size(max = 43) String> podCIDRs;

  @Size(min = 1, max = 2)
  @JsonPropertyDescription("The first address of each entry of podCIDRs, in the same order: the bridge's addresses and the pods' default gateways.")
  @ValidationRule(value = "self.all(g, isIP(g))", message = "spec.gateways: every entry must be an IPv4 or IPv6 address", reason = "FieldValueInvalid")
  private List<@Size(max = 39) String> gateways;

  @Size(min = 1, max = 2)
  @JsonPropertyDescription("The Node's address of each entry's family of podCIDRs, in the same order (InternalIP, else ExternalIP; \"\" while the Node reports none of that family).")
  @ValidationRule(
      value = "self.all(a, a == '' || (isIP(a) && ip.isCanonical(a) && ip(a).isGlobalUnicast()))",
      message = "spec.nodeIPs: every entry must be \"\" or the node's unicast address in canonical form (not loopback, link-local, multicast or unspecified)",
      reason = "FieldValueInvalid")
  private List<@Size(max = 39) String> nodeIPs;

  public NodeNetworkSpec() {}

  /** A single-family spec, as written before dual-stack (no lists). */
  public NodeNetworkSpec(String nodeName, String podCIDR, String gateway, String nodeIP) {
    this.nodeName = nodeName;
    this.podCIDR = podCIDR;
    this.gateway = gateway;
    this.nodeIP = nodeIP;
  }

  /** A spec with one entry per family, the primary first; the singular fields are the first entries. */
  public NodeNetworkSpec(String nodeName, List<String> podCIDRs, List<String> gateways, List<String> nodeIPs) {
    this(nodeName, podCIDRs.get(0), gateways.get(0), nodeIPs.get(0));
    this.podCIDRs = List.copyOf(podCIDRs);
    this.gateways = List.copyOf(gateways);
    this.nodeIPs = List.copyOf(nodeIPs);
  }

  /** Every family's subnet, primary first; {@code [podCIDR]} for an object written before the lists. */
  @JsonIgnore
  public List<String> allPodCIDRs() {
    return podCIDRs != null ? podCIDRs : podCIDR == null ? List.of() : List.of(podCIDR);
  }

  /** Every family's gateway, in the order of {@link #allPodCIDRs()}. */
  @JsonIgnore
  public List<String> allGateways() {
    return gateways != null ? gateways : gateway == null ? List.of() : List.of(gateway);
  }

  /** Every family's node address ("" when the Node reports none), in the order of {@link #allPodCIDRs()}. */
  @JsonIgnore
  public List<String> allNodeIPs() {
    return nodeIPs != null ? nodeIPs : podCIDR == null ? List.of() : List.of(Objects.requireNonNullElse(nodeIP, ""));
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

  public List<String> getPodCIDRs() {
    return podCIDRs;
  }

  public void setPodCIDRs(List<String> podCIDRs) {
    this.podCIDRs = podCIDRs;
  }

  public List<String> getGateways() {
    return gateways;
  }

  public void setGateways(List<String> gateways) {
    this.gateways = gateways;
  }

  public List<String> getNodeIPs() {
    return nodeIPs;
  }

  public void setNodeIPs(List<String> nodeIPs) {
    this.nodeIPs = nodeIPs;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeNetworkSpec s
        && Objects.equals(nodeName, s.nodeName)
        && Objects.equals(podCIDR, s.podCIDR)
        && Objects.equals(gateway, s.gateway)
        && Objects.equals(nodeIP, s.nodeIP)
        && Objects.equals(podCIDRs, s.podCIDRs)
        && Objects.equals(gateways, s.gateways)
        && Objects.equals(nodeIPs, s.nodeIPs);
  }

  @Override
  public int hashCode() {
    return Objects.hash(nodeName, podCIDR, gateway, nodeIP, podCIDRs, gateways, nodeIPs);
  }
}
