package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the user declares. CEL rules make the API server refuse what would break running nodes:
 * ranges are append-only and the node prefix length is immutable, because every existing node's
 * subnet and every route on every node derives from them.
 *
 * <p>Ranges may be IPv4, IPv6 or both (dual-stack); the family of the first range is the cluster's
 * primary family, whose subnet is every node's {@code podCIDR}. Each family has its own node subnet
 * size.
 */
@ValidationRule(
    value = "!has(self.clusterCIDRs) || self.clusterCIDRs.all(c, !isCIDR(c) || cidr(c).ip().family() != 4 || cidr(c).prefixLength() < self.nodeSubnetPrefixLength)",
    message = "spec.nodeSubnetPrefixLength must be longer than the prefix of every IPv4 entry of spec.clusterCIDRs, so that each range holds at least two node subnets: use a larger nodeSubnetPrefixLength or wider ranges",
    fieldPath = ".nodeSubnetPrefixLength",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.clusterCIDRs) || !has(self.nodeSubnetPrefixLengthIPv6) || self.clusterCIDRs.all(c, !isCIDR(c) || cidr(c).ip().family() != 6 || cidr(c).prefixLength() < self.nodeSubnetPrefixLengthIPv6)",
    message = "spec.nodeSubnetPrefixLengthIPv6 must be longer than the prefix of every IPv6 entry of spec.clusterCIDRs, so that each range holds at least two node subnets: use a larger nodeSubnetPrefixLengthIPv6 (64 by default) or wider IPv6 ranges",
    fieldPath = ".nodeSubnetPrefixLengthIPv6",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "!has(self.mtu) || self.mtu == 0 || self.mtu >= 1280 || !has(self.clusterCIDRs) || !self.clusterCIDRs.exists(c, isCIDR(c) && cidr(c).ip().family() == 6)",
    message = "spec.mtu must be 0 (use the uplink's MTU) or at least 1280 while spec.clusterCIDRs holds an IPv6 range: IPv6 needs every link to carry 1280-byte packets",
    fieldPath = ".mtu",
    reason = "FieldValueInvalid")
public class ClusterNetworkSpec {

  @Required
  @Size(min = 1, max = 16)
  @JsonPropertyDescription("IPv4 and/or IPv6 ranges that pod subnets are cut from, e.g. 10.244.0.0/16 and fd00:10:244::/56; the family of the first is the primary one (each node's podCIDR). Each node gets one subnet of every family listed. Append-only: add a range when the pool runs low, or the first range of the other family to make the cluster dual-stack; existing entries can never be changed or removed.")
  @ValidationRule(
      value = "self.all(c, isCIDR(c) && string(cidr(c).masked()) == c)",
      message = "spec.clusterCIDRs: every entry must be an IPv4 or IPv6 network in canonical form, like 10.244.0.0/16 or fd00:10:244::/56 (no host bits set, no leading zeros, IPv6 in lowercase with zeros compressed)",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "self.all(a, !isCIDR(a) || self.filter(b, isCIDR(b) && (cidr(a).containsCIDR(b) || cidr(b).containsCIDR(a))).size() == 1)",
      message = "spec.clusterCIDRs: entries must not overlap or repeat each other (within a family); remove the overlapping entry",
      reason = "FieldValueInvalid")
  // A range that holds 0.0.0.0, loopback, link-local or multicast addresses would hand a node
  // 0.0.0.0/24 or 127.0.0.0/24 (fe80::/64, ff02::/64): refused here, not found later on a broken
  // node. At /8 or longer a range holds such addresses only if its own address is one, except
  // fe00::/8, which holds fe80::/10 while fe00:: is unicast.
  @ValidationRule(
      value = "self.all(c, !isCIDR(c) || (cidr(c).ip().isGlobalUnicast() && cidr(c).prefixLength() >= 8 && !cidr(c).containsIP('fe80::')))",
      message = "spec.clusterCIDRs: every entry must be a unicast range of at most /8, like 10.244.0.0/16 or fd00:10:244::/56 (not 0.0.0.0/8, 127.0.0.0/8, 169.254.0.0/16, ::/8, fe80::/10 or multicast, and no wider than 10.0.0.0/8 or fd00::/8)",
      reason = "FieldValueInvalid")
  @ValidationRule(
      value = "oldSelf.all(c, c in self)",
      message = "spec.clusterCIDRs is append-only: existing ranges hold node subnets and cannot be changed or removed; add a new range instead",
      reason = "FieldValueForbidden")
  private List<@Size(max = 43) String> clusterCIDRs = new ArrayList<>();

  @Default("24")
  @Min(1)
  @Max(30)
  @JsonPropertyDescription("Prefix length of each node's IPv4 pod subnet (24 gives 254 pod addresses a node). Immutable.")
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.nodeSubnetPrefixLength is immutable: every node's subnet was cut with it; create the ClusterNetwork anew to change it",
      reason = "FieldValueForbidden")
  private Integer nodeSubnetPrefixLength = 24;

  @Default("64")
  @Min(1)
  @Max(126)
  @JsonPropertyDescription("Prefix length of each node's IPv6 pod subnet (64 by default); every IPv6 range must be shorter. Unused while spec.clusterCIDRs holds no IPv6 range. Immutable.")
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.nodeSubnetPrefixLengthIPv6 is immutable: every node's IPv6 subnet was cut with it; create the ClusterNetwork anew to change it",
      reason = "FieldValueForbidden")
  private Integer nodeSubnetPrefixLengthIPv6 = 64;

  @Default("cni0")
  @Size(min = 1, max = 15)
  @JsonPropertyDescription("Name of the bridge the agent creates on every node (a Linux interface name, at most 15 characters).")
  @ValidationRule(
      value = "self.matches('^[a-zA-Z0-9][a-zA-Z0-9_.-]*$')",
      message = "spec.bridgeName must be a Linux interface name: 1 to 15 letters, digits, '_', '.' or '-', starting with a letter or digit (e.g. cni0)",
      reason = "FieldValueInvalid")
  // Every pod on every node hangs off this bridge and the CNI config names it: a new name would
  // leave running pods on a bridge the agents no longer look after.
  @ValidationRule(
      value = "self == oldSelf",
      message = "spec.bridgeName is immutable: every running pod is attached to the bridge of that name; create the ClusterNetwork anew to change it",
      reason = "FieldValueForbidden")
  private String bridgeName = "cni0";

  @Default("0")
  @Min(0)
  @Max(65535)
  @JsonPropertyDescription("MTU of the bridge and pod interfaces; 0 takes the MTU of the node's uplink.")
  @ValidationRule(
      value = "self == 0 || self >= 576",
      message = "spec.mtu must be 0 (use the uplink's MTU) or at least 576, the smallest IPv4 MTU every host must accept",
      reason = "FieldValueInvalid")
  private Integer mtu = 0;

  @Default("true")
  @JsonPropertyDescription("Masquerade pod traffic whose destination lies outside spec.clusterCIDRs. Pod-to-pod traffic is never NATed.")
  private Boolean masquerade = true;

  @Default("true")
  @JsonPropertyDescription("Also set Node.spec.podCIDR(s) to the node's subnet when the Node has none.")
  private Boolean writeNodePodCIDR = true;

  @Size(max = 64)
  @JsonPropertyDescription("Labels a Node must carry to get a subnet (matchLabels semantics). Empty selects every node.")
  @ValidationRule(
      value = "self.all(k, k.matches('^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$') "
          + "&& self[k].matches('^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$'))",
      message = "spec.nodeSelector: every key and value must be a valid label (a key like example.com/role, a value of at most 63 letters, digits, '-', '_' or '.'), or no Node can ever match it",
      reason = "FieldValueInvalid")
  private Map<String, @Size(max = 63) String> nodeSelector = new LinkedHashMap<>();

  public List<String> getClusterCIDRs() {
    return clusterCIDRs;
  }

  public void setClusterCIDRs(List<String> clusterCIDRs) {
    this.clusterCIDRs = clusterCIDRs;
  }

  public Integer getNodeSubnetPrefixLength() {
    return nodeSubnetPrefixLength;
  }

  public void setNodeSubnetPrefixLength(Integer nodeSubnetPrefixLength) {
    this.nodeSubnetPrefixLength = nodeSubnetPrefixLength;
  }

  public Integer getNodeSubnetPrefixLengthIPv6() {
    return nodeSubnetPrefixLengthIPv6;
  }

  public void setNodeSubnetPrefixLengthIPv6(Integer nodeSubnetPrefixLengthIPv6) {
    this.nodeSubnetPrefixLengthIPv6 = nodeSubnetPrefixLengthIPv6;
  }

  public String getBridgeName() {
    return bridgeName;
  }

  public void setBridgeName(String bridgeName) {
    this.bridgeName = bridgeName;
  }

  public Integer getMtu() {
    return mtu;
  }

  public void setMtu(Integer mtu) {
    this.mtu = mtu;
  }

  public Boolean getMasquerade() {
    return masquerade;
  }

  public void setMasquerade(Boolean masquerade) {
    this.masquerade = masquerade;
  }

  public Boolean getWriteNodePodCIDR() {
    return writeNodePodCIDR;
  }

  public void setWriteNodePodCIDR(Boolean writeNodePodCIDR) {
    this.writeNodePodCIDR = writeNodePodCIDR;
  }

  public Map<String, String> getNodeSelector() {
    return nodeSelector;
  }

  public void setNodeSelector(Map<String, String> nodeSelector) {
    this.nodeSelector = nodeSelector;
  }
}
