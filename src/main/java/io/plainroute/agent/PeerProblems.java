package io.plainroute.agent;

import io.plainroute.api.v1alpha1.UnreachablePeer;

/** What each reason a peer gets no route means, in a sentence that says what to do. */
final class PeerProblems {
  private PeerProblems() {}

  static String explain(UnreachablePeer peer) {
    return switch (peer.getReason()) {
      case DesiredDataplane.SAME_NODE_IP -> "node " + peer.getNode() + " reports this node's own IP " + peer.getNodeIP()
          + ": packets for its pods would come back here. Give each node its own address (see the Conflict condition).";
      case DesiredDataplane.NO_NODE_IP -> "node " + peer.getNode() + " reports no IPv4 address: give its Node an InternalIP.";
      case DesiredDataplane.INVALID_POD_CIDR -> "the NodeNetwork of " + peer.getNode() + " holds no valid pod subnet.";
      default -> "plain routing needs every node IP on this node's uplink network.";
    };
  }
}
