package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.api.v1alpha1.UnreachablePeer;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PeerTransitionsTest {

  @Test
  void aPeerThatBecomesUnreachableIsReportedOnce() {
    PeerTransitions first = PeerTransitions.between(List.of(), List.of(peer("far", "10.9.0.4")), Set.of("node02", "far"));
    assertThat(first.becameUnreachable()).containsExactly(peer("far", "10.9.0.4"));
    assertThat(first.becameReachable()).isEmpty();

    PeerTransitions again = PeerTransitions.between(List.of(peer("far", "10.9.0.4")), List.of(peer("far", "10.9.0.4")), Set.of("node02", "far"));
    assertThat(again.isEmpty()).isTrue();
  }

  @Test
  void aPeerUnreachableAtANewAddressIsNews() {
    PeerTransitions moved = PeerTransitions.between(List.of(peer("far", "10.9.0.4")), List.of(peer("far", "10.9.0.5")), Set.of("far"));
    assertThat(moved.becameUnreachable()).containsExactly(peer("far", "10.9.0.5"));
    assertThat(moved.becameReachable()).isEmpty();
  }

  @Test
  void aPeerRoutedAgainIsReachableButADeletedOneIsNot() {
    List<UnreachablePeer> before = List.of(peer("fixed", "10.9.0.4"), peer("gone", "10.9.0.6"));
    PeerTransitions transitions = PeerTransitions.between(before, List.of(), Set.of("fixed", "node02"));
    assertThat(transitions.becameReachable()).containsExactly("fixed");
    assertThat(transitions.becameUnreachable()).isEmpty();
  }

  @Test
  void noStatusYetCountsAsNothingUnreachable() {
    assertThat(PeerTransitions.between(null, null, Set.of()).isEmpty()).isTrue();
  }

  private static UnreachablePeer peer(String node, String ip) {
    UnreachablePeer peer = new UnreachablePeer();
    peer.setNode(node);
    peer.setNodeIP(ip);
    peer.setReason("PeerNotOnLink");
    return peer;
  }
}
