package io.plainroute.agent;

import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.netlink.IpFamily;

/** What each reason a peer gets no route means, in a sentence that says what to do. */
final class PeerProblems {
  private PeerProblems() {}

  /**
   * For a peer as status holds it, without its family: the family is the node address's, and
   * IPv4 when there is none (a peer's missing address is told apart per family in the pass's own
   * message).
   */
  static String explain(UnreachablePeer peer) {
    String nodeIP = peer.getNodeIP();
    return explain(new PeerProblem(nodeIP != null && nodeIP.contains(":") ? IpFamily.IPV6 : IpFamily.IPV4, peer));
  }

  static String explain(PeerProblem problem) {
    UnreachablePeer peer = problem.peer();
    return switch (peer.getReason()) {
      case DesiredDataplane.SAME_NODE_IP -> "node " + peer.getNode() + " reports this node's own IP " + peer.getNodeIP()
          + ": packets for its pods would come back here. Give each node its own address (see the Conflict condition).";
      case DesiredDataplane.NO_NODE_IP -> "node " + peer.getNode() + " reports no " + problem.family() + " address: give its Node an InternalIP of that family.";
      case DesiredDataplane.INVALID_POD_CIDR -> "the NodeNetwork of " + peer.getNode() + " holds no valid " + problem.family() + " pod subnet.";
      default -> "plain routing needs every node IP on this node's uplink network of its family (" + problem.family()
          + "), and this node's own " + problem.family() + " node address on one of its interfaces.";
    };
  }
}
