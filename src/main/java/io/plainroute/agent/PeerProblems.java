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

  /** IPv4's sentences are those of single-stack releases; IPv6's name the family. */
  static String explain(PeerProblem problem) {
    UnreachablePeer peer = problem.peer();
    boolean ipv6 = problem.family() == IpFamily.IPV6;
    return switch (peer.getReason()) {
      case DesiredDataplane.SAME_NODE_IP -> "node " + peer.getNode() + " reports this node's own IP " + peer.getNodeIP()
          + ": packets for its pods would come back here. Give each node its own address (see the Conflict condition).";
      case DesiredDataplane.NO_NODE_IP -> "node " + peer.getNode() + " reports no " + problem.family()
          + " address: give its Node an InternalIP" + (ipv6 ? " of that family." : ".");
      case DesiredDataplane.INVALID_POD_CIDR -> "the NodeNetwork of " + peer.getNode() + " holds no valid "
          + (ipv6 ? "IPv6 " : "") + "pod subnet.";
      default -> "plain routing needs every node IP on this node's uplink network."
          + (ipv6 ? " For IPv6 that is the network of the interface holding this node's own IPv6 node address." : "");
    };
  }
}
