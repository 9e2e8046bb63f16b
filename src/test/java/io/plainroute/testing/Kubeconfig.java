package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Writes a kubeconfig for one server, trusted by its CA, with a bearer token. */
final class Kubeconfig {
  private Kubeconfig() {
  }

  static void write(Path file, String server, Path caCertificate, String user, String token) {
    try {
      String ca = Base64.getEncoder().encodeToString(Files.readAllBytes(caCertificate));
      Files.writeString(file, """
          apiVersion: v1
          kind: Config
          clusters:
          - name: plainroute-test
            cluster:
              server: %s
              certificate-authority-data: %s
          users:
          - name: %s
            user:
              token: %s
          contexts:
          - name: plainroute-test
            context:
              cluster: plainroute-test
              user: %s
          current-context: plainroute-test
          """.formatted(server, ca, user, token, user), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the kubeconfig " + file + " (CA " + caCertificate + ")", e);
    }
  }
}
