package io.plainroute.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.plainroute.netlink.NetlinkException;
import io.plainroute.netlink.NetlinkHandle;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.Masquerade;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the kernel tests: each test works in network namespaces of its own (from
 * {@link TestNamespaces}) and deletes them afterwards, also when it fails; what it opened on them
 * is closed first. Tests set up and check with {@code ip} and {@code nft} (static helpers of
 * {@link TestNamespaces}); only the code under test must not. Without root they skip, and say why.
 */
public abstract class KernelTestBase {
  private final TestNamespaces namespaces;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** @param prefix starts the names of this suite's namespaces, e.g. {@code prnl} */
  protected KernelTestBase(String prefix) {
    this.namespaces = new TestNamespaces(prefix);
  }

  @BeforeEach
  void requireRoot() {
    assumeTrue(TestNamespaces.isRoot(), "needs root: creates network namespaces");
  }

  @AfterEach
  void deleteNamespaces() throws Exception {
    try {
      for (AutoCloseable closeable : closeables) {
        closeable.close();
      }
    } finally {
      closeables.clear();
      // Every namespace goes, even when a handle could not be closed: none may outlive the run.
      namespaces.close();
    }
  }

  /** A fresh network namespace with its loopback up. */
  protected String newNamespace() throws IOException, InterruptedException {
    return namespaces.create();
  }

  /** Closes {@code closeable} after the test, before its namespaces are deleted. */
  protected <T extends AutoCloseable> T closedAfterTest(T closeable) {
    closeables.add(closeable);
    return closeable;
  }

  /** The code under test's rtnetlink handle on {@code namespace}, closed after the test. */
  protected NetlinkHandle netlink(String namespace) throws NetlinkException {
    return closedAfterTest(NetlinkHandle.open(NetworkNamespace.named(namespace)));
  }

  /** The code under test's masquerade table in {@code namespace}, closed after the test. */
  protected Masquerade masquerade(String namespace) throws IOException {
    return closedAfterTest(Masquerade.open(NetworkNamespace.named(namespace)));
  }
}
