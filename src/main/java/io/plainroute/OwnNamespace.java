package io.plainroute;

import java.util.Optional;

/** The namespace this process runs in, from the downward API, unless a setting names one. */
public final class OwnNamespace {
  private OwnNamespace() {}

  /**
   * @param configured the setting, if given
   * @param property the setting's name, for the error message
   */
  public static String resolve(Optional<String> configured, String property) {
    return configured
        .or(() -> Optional.ofNullable(System.getenv("POD_NAMESPACE")))
        .or(() -> Optional.ofNullable(System.getenv("KUBERNETES_NAMESPACE")))
        .filter(ns -> !ns.isBlank())
        .orElseThrow(() -> new IllegalStateException(
            property + " is not set and POD_NAMESPACE is empty: set either to the namespace the controller runs in"));
  }
}
