package io.plainroute.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The RSA key pair kube-apiserver signs and verifies service-account tokens with. The JDK's own
 * encodings are exactly what the apiserver reads: PKCS#8 ("PRIVATE KEY") for the private key and
 * X.509 SubjectPublicKeyInfo ("PUBLIC KEY") for the public one, so no extra crypto library.
 */
final class ServiceAccountKeys {

  private ServiceAccountKeys() {
  }

  static void write(Path privateKeyPem, Path publicKeyPem) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      KeyPair pair = generator.generateKeyPair();
      Files.writeString(privateKeyPem, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
      Files.writeString(publicKeyPem, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
