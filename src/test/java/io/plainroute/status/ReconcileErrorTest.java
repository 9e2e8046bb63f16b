package io.plainroute.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class ReconcileErrorTest {

  @Test
  void anApiServerThatDoesNotAnswerIsUnreachableNotARefusal() {
    // What fabric8 throws when the connection is refused: no HTTP code (-1).
    var e = new KubernetesClientException("Operation: [get] failed", new ConnectException("Connection refused"));
    ReconcileError error = ReconcileError.of(e, "the plainroute agent's ServiceAccount", "the agent on node node01");
    assertThat(error.reason()).isEqualTo("APIServerUnreachable");
    assertThat(error.message()).contains("could not be reached").contains("Retrying");
  }

  @Test
  void aRefusalByRbacSaysWhatToApply() {
    var e = new KubernetesClientException("nodes \"node01\" is forbidden", 403, null);
    ReconcileError error = ReconcileError.of(new IllegalStateException("wrapped", e), "the plainroute agent's ServiceAccount", "the agent");
    assertThat(error.reason()).isEqualTo("Forbidden");
    assertThat(error.message()).contains("the plainroute agent's ServiceAccount").contains("kubectl apply -k config/rbac");
  }
}
