package io.plainroute.status;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * Writes core/v1 Events about cluster-scoped objects (Nodes, ClusterNetworks, NodeNetworks), where
 * {@code kubectl describe} finds them. An Event is a courtesy: failing to write one (RBAC, an API
 * server outage) never fails the work it reports on.
 */
public final class EventRecorder {
  private static final Logger LOG = Logger.getLogger(EventRecorder.class);
  /** Events of cluster-scoped objects go to "default", as the kubelet's Node events do. */
  public static final String NAMESPACE = "default";

  /** The two event types Kubernetes knows. */
  public enum Type {
    Normal,
    Warning
  }

  private final KubernetesClient client;
  private final String component;
  private final String host;

  /**
   * @param component who reports, e.g. {@code plainroute-agent}
   * @param host the node the reporter runs on, or null
   */
  public EventRecorder(KubernetesClient client, String component, String host) {
    this.client = client;
    this.component = component;
    this.host = host;
  }

  /** Records an Event about {@code object} (which must carry kind, apiVersion, name and uid). */
  public void record(HasMetadata object, Type type, String reason, String message) {
    record(new ObjectReferenceBuilder().withKind(object.getKind()).withApiVersion(object.getApiVersion())
        .withName(object.getMetadata().getName()).withUid(object.getMetadata().getUid()).build(), type, reason, message);
  }

  public void record(ObjectReference involved, Type type, String reason, String message) {
    String now = Instant.now().toString();
    try {
      client.v1().events().inNamespace(NAMESPACE).resource(new EventBuilder()
          .withNewMetadata()
          .withName(involved.getName() + "." + UUID.randomUUID().toString().substring(0, 13))
          .endMetadata()
          .withInvolvedObject(involved)
          .withType(type.name()).withReason(reason).withMessage(message)
          .withNewSource().withComponent(component).withHost(host).endSource()
          .withReportingComponent(component)
          .withReportingInstance(host)
          .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
          .build()).create();
    } catch (KubernetesClientException e) {
      LOG.debugf("could not record event %s on %s %s: %s", reason, involved.getKind().toLowerCase(Locale.ROOT), involved.getName(), e.getMessage());
    }
  }
}
