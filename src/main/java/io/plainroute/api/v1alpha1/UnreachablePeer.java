package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** A peer node this node cannot route to with plain routing, and why (e.g. PeerNotOnLink). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UnreachablePeer {
  private String node;
  private String nodeIP;
  private String reason;

  public String getNode() {
    return node;
  }

  public void setNode(String node) {
    this.node = node;
  }

  public String getNodeIP() {
    return nodeIP;
  }

  public void setNodeIP(String nodeIP) {
    this.nodeIP = nodeIP;
  }

  public String getReason() {
    return reason;
  }

  public void setReason(String reason) {
    this.reason = reason;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnreachablePeer other
        && Objects.equals(node, other.node)
        && Objects.equals(nodeIP, other.nodeIP)
        && Objects.equals(reason, other.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(node, nodeIP, reason);
  }
}
