package io.plainroute.install;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * The API server's address as the nodes reach it, HOST:PORT ({@code [v6]:PORT} for IPv6), which the
 * installed agents are given as KUBERNETES_SERVICE_HOST/PORT. Needed where the "kubernetes" Service's
 * ClusterIP leads nowhere yet: in a cluster whose pod network plainroute is and which runs no
 * kube-proxy, or whose kube-proxy needs the pod network first.
 */
public record ApiServerAddress(String host, int port) {

  public ApiServerAddress {
    if (host.isEmpty() || port < 1 || port > 65535) {
      throw new IllegalArgumentException("host must be set and port within 1-65535");
    }
  }

  /** Reads HOST:PORT; {@code field} names the setting in the error. */
  public static ApiServerAddress parse(String value, String field) {
    try {
      URI uri = new URI("https://" + value.strip());
      String host = uri.getHost();
      if (host == null || uri.getPort() < 0 || !uri.getRawPath().isEmpty() || uri.getRawUserInfo() != null) {
        throw new URISyntaxException(value, "not HOST:PORT");
      }
      // The environment variable carries an IPv6 address without its brackets, as the kubelet sets it.
      return new ApiServerAddress(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, uri.getPort());
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": '" + value + "' is no HOST:PORT; set it to the API server's address as"
          + " the nodes reach it, e.g. 192.168.1.10:6443 or [fd00::10]:6443", e);
    }
  }
}
