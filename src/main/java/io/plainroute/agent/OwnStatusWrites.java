package io.plainroute.agent;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.plainroute.api.v1alpha1.NodeNetwork;
import java.util.Objects;

/**
 * What the agent's status writes start from. A status is written only when it differs from what
 * the API server holds, and the informer cache says what it holds — except right after our own
 * write, before the watch has delivered it (for seconds after an API server outage, while the
 * watch reconnects). Judged against that stale copy, a status that went back to what the cache
 * still shows would never be written. So until the cache moves past the version we wrote over,
 * our own write is the base. Always a copy: the informer's objects are never changed here, or a
 * write that failed would leave the cache saying it succeeded.
 */
final class OwnStatusWrites {
  private final KubernetesSerialization serialization;
  private String writtenOver;
  private NodeNetwork written;

  OwnStatusWrites(KubernetesSerialization serialization) {
    this.serialization = serialization;
  }

  synchronized NodeNetwork base(NodeNetwork cached) {
    boolean cacheBehind = written != null && Objects.equals(cached.getMetadata().getResourceVersion(), writtenOver);
    return serialization.clone(cacheBehind ? written : cached);
  }

  synchronized void wrote(String over, NodeNetwork result) {
    writtenOver = over;
    written = result;
  }
}
