package io.plainroute.netlink;

import io.plainroute.netns.NetworkNamespace;
import io.plainroute.testing.KernelTestBase;
import io.plainroute.testing.TestNamespaces;
import java.io.IOException;

/** The netlink kernel tests' base: namespaces named {@code prnl-...}, handles opened on them. */
abstract class NamespaceFixture extends KernelTestBase {

  NamespaceFixture() {
    super("prnl");
  }

  /** A handle on the namespace, closed after the test. */
  NetlinkHandle open(String namespace) throws NetlinkException {
    return closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace)));
  }

  /** {@code ip -n NAMESPACE ARGS...}; fails the test when ip does. */
  static String ip(String namespace, String... args) throws IOException, InterruptedException {
    return TestNamespaces.ip(namespace, args);
  }

  static String run(String... command) throws IOException, InterruptedException {
    return TestNamespaces.run(command);
  }
}
