package io.plainroute.nftables;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.plainroute.netlink.IpPrefix;
import io.plainroute.netns.NamespaceException;
import io.plainroute.netns.NamespaceThread;
import io.plainroute.netns.NetworkNamespace;
import io.plainroute.nftables.MasqueradeState.Installed;

/**
 * The node's masquerade rules, one per family, in plainroute's own nftables table of one network
 * namespace:
 *
 * <pre>
 * table inet plainroute {
 *   set cluster_ranges { type ipv4_addr; flags interval; elements = { 10.244.0.0/16 } }
 *   set cluster_ranges6 { type ipv6_addr; flags interval; elements = { fd00:10:244::/48 } }
 *   chain postrouting {
 *     type nat hook postrouting priority srcnat; policy accept;
 *     ip saddr @cluster_ranges ip daddr != @cluster_ranges oifname != "cni0" masquerade
 *     ip6 saddr @cluster_ranges6 ip6 daddr != @cluster_ranges6 oifname != "cni0" masquerade
 *   }
 * }
 * </pre>
 *
 * <p>Pod traffic to outside the cluster ranges leaves with the node's address of its family;
 * traffic between pods, on this node or another, keeps the sender's. One rule per family covers
 * any number of ranges. The IPv4-only {@code table ip plainroute} of earlier releases is deleted
 * in the same transaction that writes this table.
 *
 * <p>Like a {@link io.plainroute.netlink.NetlinkHandle}, it owns a platform thread that entered
 * the namespace, and a libnftables context created there; every call is handed to that thread,
 * so it may be used from any thread. Only {@code table inet plainroute} (and the old
 * {@code table ip plainroute}, deleted) is ever changed.
 */
public final class Masquerade implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Masquerade.class.getName());

  private final NetworkNamespace namespace;
  private final NamespaceThread thread;
  private final NftContext context;
  private final AtomicBoolean closed = new AtomicBoolean();

  private Masquerade(NetworkNamespace namespace, NamespaceThread thread, NftContext context) {
    this.namespace = namespace;
    this.thread = thread;
    this.context = context;
  }

  /**
   * Binds a libnftables context to the namespace.
   *
   * @throws NamespaceException when no thread can enter the namespace
   * @throws NftablesException when libnftables is missing (the message names the package)
   */
  public static Masquerade open(NetworkNamespace namespace) throws NamespaceException, NftablesException {
    // Before starting a thread: a missing library is the likelier failure and needs no namespace.
    Libnftables.api();
    NamespaceThread thread = NamespaceThread.start(namespace);
    try {
      return new Masquerade(namespace, thread, thread.call(NftContext::create));
    } catch (NftablesException | RuntimeException e) {
      thread.stop();
      throw e;
    }
  }

  /** The namespace this works in. */
  public NetworkNamespace namespace() {
    return namespace;
  }

  /** {@link #apply(MasqueradeRuleset)} for these ranges and bridge. */
  public boolean apply(List<IpPrefix> clusterRanges, String bridgeName) throws NftablesException {
    return apply(new MasqueradeRuleset(clusterRanges, bridgeName));
  }

  /**
   * Makes the table hold exactly this ruleset, replacing it whole in one transaction when it
   * differs or the old IPv4-only table is still there, and leaving it alone when it is already so.
   * Equivalent to {@code nft -f -} with {@code add table inet plainroute; delete table inet
   * plainroute; add table ip plainroute; delete table ip plainroute; table inet plainroute {...}}.
   *
   * @return whether the table was written
   * @throws NftablesException with libnftables' error text when it refused
   */
  public boolean apply(MasqueradeRuleset ruleset) throws NftablesException {
    MasqueradeState desired = new Installed(ruleset);
    return thread.call(() -> {
      MasqueradeState before = read();
      if (before.equals(desired) && !hasTable(PlainrouteTable.LEGACY_FAMILY)) {
        return false;
      }
      context.run("replace " + PlainrouteTable.describe(), PlainrouteTable.replace(ruleset), false);
      LOG.log(Level.INFO, "masquerading traffic from {0} to outside them, except out of {1}, in {2} (was: {3})",
          ruleset.clusterRanges(), ruleset.bridgeName(), namespace, before);
      MasqueradeState after = read();
      if (!after.equals(desired)) {
        // Only a libnftables that lists differently from this one gets here: the rule is in
        // place, but every apply will write it again. Worth knowing, not worth failing.
        LOG.log(Level.WARNING, "{0} does not read back as written, so every apply rewrites it: {1}",
            PlainrouteTable.describe(), after);
      }
      return true;
    });
  }

  /**
   * Deletes plainroute's table (and the IPv4-only one of earlier releases), and nothing else.
   * Equivalent to {@code nft delete table inet plainroute; nft delete table ip plainroute},
   * without an error when they are absent.
   *
   * @return whether there was a table to delete
   */
  public boolean remove() throws NftablesException {
    return thread.call(() -> {
      if (!hasTable() && !hasTable(PlainrouteTable.LEGACY_FAMILY)) {
        return false;
      }
      context.run("delete " + PlainrouteTable.describe(), PlainrouteTable.delete(), false);
      LOG.log(Level.INFO, "deleted {0} in {1}: no masquerade", PlainrouteTable.describe(), namespace);
      return true;
    });
  }

  /** What the table holds now. Equivalent to {@code nft -j list table inet plainroute}. */
  public MasqueradeState current() throws NftablesException {
    return thread.call(this::read);
  }

  /** Whether the table holds a masquerade rule exactly as plainroute writes it. */
  public boolean isInstalled() throws NftablesException {
    return current() instanceof Installed;
  }

  /** Frees the libnftables context and ends the thread; the table stays as it is. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      thread.call(() -> {
        context.close();
        return null;
      });
      thread.stop();
    }
  }

  private MasqueradeState read() throws NftablesException {
    if (!hasTable()) {
      return new MasqueradeState.Absent();
    }
    return TableListing.state(context.run("list " + PlainrouteTable.describe(), PlainrouteTable.list(), true));
  }

  /** Asks for the table names first: listing an absent table is an error, not an empty answer. */
  private boolean hasTable() throws NftablesException {
    return hasTable(PlainrouteTable.FAMILY);
  }

  /** Whether plainroute's table of the nft family ({@code inet}, or {@code ip} of earlier releases) exists. */
  private boolean hasTable(String family) throws NftablesException {
    return TableListing.hasTable(context.run("list tables", PlainrouteTable.listTables(), true), family);
  }
}
