package io.plainroute.status;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Objects;

/**
 * An exception that escaped a reconcile, as a condition reason and a message a person can act on
 * ({@code kubectl describe} shows it), instead of only a log line and a retry.
 *
 * @param reason CamelCase, e.g. {@code Forbidden}
 * @param message what happened and what to do
 */
public record ReconcileError(String reason, String message) {

  /**
   * @param who the identity in words, e.g. "the plainroute controller's ServiceAccount"
   * @param component the component whose log tells more, e.g. "the controller"
   */
  public static ReconcileError of(Exception e, String who, String component) {
    Throwable cause = e;
    while (!(cause instanceof KubernetesClientException) && cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    if (cause instanceof KubernetesClientException k) {
      String said = k.getStatus() != null && k.getStatus().getMessage() != null ? k.getStatus().getMessage() : k.getMessage();
      // No HTTP answer at all (connection refused, timeout): fabric8 says -1.
      return switch (Math.max(k.getCode(), 0)) {
        case HttpURLConnection.HTTP_FORBIDDEN -> new ReconcileError("Forbidden", "The API server refused a request of " + who + ": "
            + said + ". Apply the RBAC and admission policies of this plainroute version (kubectl apply -k config/rbac -k config/admission).");
        case HttpURLConnection.HTTP_UNAUTHORIZED -> new ReconcileError("Unauthorized", "The API server does not accept the credentials of "
            + who + ": " + said + ". Check its ServiceAccount token.");
        case HttpURLConnection.HTTP_NOT_FOUND -> new ReconcileError("APINotFound", "An API " + component + " needs is missing: " + said
            + ". Install the CRDs of this plainroute version (kubectl apply -k config/crd).");
        case HttpURLConnection.HTTP_CONFLICT -> new ReconcileError("WriteConflict", "A write met a concurrent change: " + said
            + ". Retrying with what the API server now holds.");
        case 0 -> new ReconcileError("APIServerUnreachable", "The API server could not be reached: " + said + ". Retrying.");
        default -> new ReconcileError(k.getCode() >= 500 || k.getCode() == 429 ? "APIServerError" : "APIRequestRefused",
            "The API server answered " + k.getCode() + ": " + said + (k.getCode() >= 500 || k.getCode() == 429
                ? ". Retrying." : ". See the log of " + component + " for the request."));
      };
    }
    return new ReconcileError("InternalError", "An unexpected " + e.getClass().getSimpleName() + " stopped the pass: "
        + Objects.requireNonNullElse(e.getMessage(), "(no message)") + ". This is a plainroute bug: please report it with the log of "
        + component + ". Retrying.");
  }
}
