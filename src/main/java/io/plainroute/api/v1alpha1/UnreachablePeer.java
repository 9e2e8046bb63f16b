package io.plainroute.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

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
}
