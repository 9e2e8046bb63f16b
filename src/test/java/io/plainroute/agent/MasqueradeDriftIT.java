package io.plainroute.agent;

import static io.plainroute.agent.ApiObjects.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.plainroute.api.v1alpha1.NodeNetwork;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.Masquerade;
import io.plainroute.testing.TestNamespaces;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The masquerade table, which no rtnetlink group announces, removed by someone else on a real
 * kernel: {@code nft flush ruleset}, as a restart of a distribution's nftables service runs it
 * (Debian's /etc/nftables.conf starts with it). Until the resync, a minute later, pods' traffic
 * to outside the cluster left unmasqueraded while MasqueradeReady said True; the watch notices
 * it and the pass it asks for puts the table back.
 */
class MasqueradeDriftIT extends NodeKernelTestBase {
  private static final List<NodeNetwork> PEERS = List.of(peer("node02", "10.244.2.0/24", "192.168.1.12"));

  MasqueradeDriftIT() {
    super("prmq");
  }

  @Test
  void aFlushedRulesetIsPutBackWithoutWaitingForTheResync() throws Exception {
    pass(PEERS);
    Masquerade table = closedAfterTest(Masquerade.open(NetworkNamespace.named(namespace)));
    assertThat(table.isInstalled()).isTrue();
    // Wired as AgentRuntime wires it.
    closedAfterTest(new PolledWatch<>("masquerade table", AgentRuntime.MASQUERADE_PERIOD, table::current, () -> pass(PEERS)).start());

    TestNamespaces.exec(namespace, "nft", "flush", "ruleset");
    assertThat(table.isInstalled()).isFalse();

    await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(table::isInstalled);
  }
}
