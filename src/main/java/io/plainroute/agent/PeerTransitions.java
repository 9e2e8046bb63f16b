package io.plainroute.agent;

import io.plainroute.api.v1alpha1.UnreachablePeer;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How the set of unreachable peers changed between the status the agent replaced and the one it
 * wrote, so that an Event says so once per change rather than once per pass. Both sides come from
 * the NodeNetwork's status, so an agent restart does not announce old news again.
 *
 * @param becameUnreachable peers newly unreachable, or unreachable for a new reason or at a new IP
 * @param becameReachable peers that were unreachable and are routed now (a deleted peer is not)
 */
record PeerTransitions(List<UnreachablePeer> becameUnreachable, List<String> becameReachable) {

  static PeerTransitions between(List<UnreachablePeer> before, List<UnreachablePeer> after, Set<String> peersNow) {
    List<UnreachablePeer> was = before == null ? List.of() : before;
    List<UnreachablePeer> is = after == null ? List.of() : after;
    Set<String> stillUnreachable = is.stream().map(UnreachablePeer::getNode).collect(Collectors.toSet());
    return new PeerTransitions(
        is.stream().filter(p -> !was.contains(p)).toList(),
        was.stream().map(UnreachablePeer::getNode).distinct()
            .filter(node -> !stillUnreachable.contains(node) && peersNow.contains(node)).toList());
  }

  boolean isEmpty() {
    return becameUnreachable.isEmpty() && becameReachable.isEmpty();
  }
}
