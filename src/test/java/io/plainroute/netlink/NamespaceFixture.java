package io.plainroute.netlink;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plainroute.testing.TestNamespaces;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the kernel tests: each test works in network namespaces of its own, named
 * {@code prnl-<run>-<n>}, and deletes them afterwards, also when it fails. Tests set up and check
 * with {@code ip}; only the code under test must not.
 */
abstract class NamespaceFixture {
  private final TestNamespaces namespaces = new TestNamespaces("prnl");
  private final List<AutoCloseable> handles = new ArrayList<>();

  @BeforeEach
  void requireRoot() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: creates network namespaces");
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    try {
      for (AutoCloseable handle : handles) {
        handle.close();
      }
    } finally {
      namespaces.close();
    }
  }

  /** A fresh network namespace with its loopback up. */
  String newNamespace() throws IOException, InterruptedException {
    return namespaces.create();
  }

  /** A handle on the namespace, closed after the test. */
  NetlinkHandle open(String namespace) throws NetlinkException {
    return closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace)));
  }

  <T extends AutoCloseable> T closedAfterTest(T closeable) {
    handles.add(closeable);
    return closeable;
  }

  /** {@code ip -n NAMESPACE ARGS...}; fails the test when ip does. */
  static String ip(String namespace, String... args) throws IOException, InterruptedException {
    return TestNamespaces.ip(namespace, args);
  }

  static String run(String... command) throws IOException, InterruptedException {
    return TestNamespaces.run(command);
  }
}
