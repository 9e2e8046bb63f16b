package io.plainroute.netlink;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import io.plainroute.netlink.nl.Rtnetlink;
import io.plainroute.netns.NamespaceException;
import io.plainroute.netns.NamespaceThread;
import io.plainroute.netns.NetworkNamespace;

/**
 * Links, addresses and routes (IPv4 and IPv6) of one network namespace, over rtnetlink.
 *
 * <p>A handle owns a platform thread that entered the namespace and the netlink socket opened
 * there; every call is handed to that thread, so a handle may be used from any thread. Each
 * method names the {@code ip} command it is equivalent to. Failures carry the kernel's errno and
 * message ({@link NetlinkException}).
 *
 * <pre>{@code
 * try (NetlinkHandle handle = NetlinkHandle.open(NetworkNamespace.named("node1"))) {
 *     Link bridge = handle.createBridge("plainroute0");
 *     handle.setLinkUp(bridge.index());
 *     handle.addRoute(Route.onLink(Ipv4Prefix.parse("10.244.3.0/24"), bridge.index(), 200));
 * }
 * }</pre>
 */
public final class NetlinkHandle implements AutoCloseable {
  private static final Path IPV4_FORWARDING = Path.of("/proc/sys/net/ipv4/ip_forward");

  private final NetworkNamespace namespace;
  private final NamespaceThread thread;
  private final NetlinkConnection connection;
  private final Set<EventSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean closed = new AtomicBoolean();

  private NetlinkHandle(NetworkNamespace namespace, NamespaceThread thread, NetlinkConnection connection) {
    this.namespace = namespace;
    this.thread = thread;
    this.connection = connection;
  }

  /** A handle on the network namespace of the calling thread. */
  public static NetlinkHandle open() throws NetlinkException {
    return open(NetworkNamespace.current());
  }

  /** A handle on the given network namespace. */
  public static NetlinkHandle open(NetworkNamespace namespace) throws NetlinkException {
    return open(namespace, NetlinkConnection.Tuning.DEFAULT);
  }

  /** A handle with its own socket tuning: lets tests provoke lost acknowledgements. */
  static NetlinkHandle open(NetworkNamespace namespace, NetlinkConnection.Tuning tuning) throws NetlinkException {
    NamespaceThread thread;
    try {
      thread = NamespaceThread.start(namespace);
    } catch (NamespaceException e) {
      throw new NetlinkException(e.errno(), "entering " + namespace, null);
    }
    try {
      return new NetlinkHandle(namespace, thread, thread.call(() -> NetlinkConnection.open(tuning)));
    } catch (NetlinkException | RuntimeException e) {
      thread.stop();
      throw e;
    }
  }

  /** The namespace this handle works in. */
  public NetworkNamespace namespace() {
    return namespace;
  }

  /**
   * The netlink port id of this handle's socket. The kernel stamps it on the notifications of the
   * changes this handle makes ({@code senderPort} of a {@link NetlinkEvent}), so a listener can
   * tell them from changes made by anyone else.
   */
  public int portId() {
    return connection.portId();
  }

  /**
   * Runs work on the handle's thread, inside its network namespace: equivalent to
   * {@code ip netns exec NS ...} for one task. The work may call this handle's methods.
   */
  public <T> Future<T> submit(Callable<T> work) {
    return thread.submit(work);
  }

  // Links

  /**
   * Equivalent to: {@code ip -d link show dev NAME}.
   *
   * @return the link, or empty when there is none of that name
   */
  public Optional<Link> link(String name) throws NetlinkException {
    return thread.call(() -> {
      try {
        return connection.query(LinkMessages.get(name), LinkMessages::parse).stream().findFirst();
      } catch (NetlinkException e) {
        if (e.is(Errno.ENODEV)) {
          return Optional.empty();
        }
        throw e;
      }
    });
  }

  /** Equivalent to: {@code ip -d link show}. */
  public List<Link> links() throws NetlinkException {
    return thread.call(() -> connection.dump(LinkMessages.dump(), LinkMessages::parse));
  }

  /**
   * Equivalent to: {@code ip link add NAME type bridge}. The bridge starts down.
   *
   * @return the new bridge
   * @throws NetlinkException EEXIST when a link of that name exists
   */
  public Link createBridge(String name) throws NetlinkException {
    return thread.call(() -> {
      connection.execute(LinkMessages.create(name, "bridge"));
      return link(name).orElseThrow(() -> new NetlinkException(Errno.ENODEV, "bridge " + name + " vanished"));
    });
  }

  /** Equivalent to: {@code ip link set dev LINK up}. */
  public void setLinkUp(int linkIndex) throws NetlinkException {
    execute(LinkMessages.setUp(linkIndex, true));
  }

  /** Equivalent to: {@code ip link set dev LINK mtu MTU}. */
  public void setMtu(int linkIndex, int mtu) throws NetlinkException {
    execute(LinkMessages.setMtu(linkIndex, mtu));
  }

  /** Equivalent to: {@code ip link set dev LINK master MASTER} (e.g. a port onto a bridge). */
  public void setMaster(int linkIndex, int masterIndex) throws NetlinkException {
    execute(LinkMessages.setMaster(linkIndex, masterIndex));
  }

  /** Equivalent to: {@code ip link del dev LINK}. */
  public void deleteLink(int linkIndex) throws NetlinkException {
    execute(LinkMessages.delete(linkIndex));
  }

  // Addresses

  /** Equivalent to: {@code ip addr show}: IPv4 addresses, then IPv6 ones. */
  public List<Address> addresses() throws NetlinkException {
    return thread.call(() -> {
      List<Address> all = new ArrayList<>();
      for (IpFamily family : IpFamily.values()) {
        all.addAll(connection.dump(AddressMessages.dump(family), AddressMessages::parse));
      }
      return all;
    });
  }

  /** Equivalent to: {@code ip addr show dev LINK}. */
  public List<Address> addresses(int linkIndex) throws NetlinkException {
    return addresses().stream().filter(address -> address.linkIndex() == linkIndex).toList();
  }

  /**
   * Equivalent to: {@code ip addr add ADDRESS/LENGTH dev LINK}.
   *
   * @throws NetlinkException EEXIST when the link has that address
   */
  public void addAddress(Address address) throws NetlinkException {
    execute(AddressMessages.add(address, false));
  }

  /**
   * Equivalent to: {@code ip addr add ADDRESS/LENGTH dev LINK nodad}: an IPv6 address usable at
   * once, without duplicate address detection (for an address that is unique by allocation).
   *
   * @throws NetlinkException EEXIST when the link has that address
   */
  public void addAddressWithoutDad(Address address) throws NetlinkException {
    execute(AddressMessages.add(address, true));
  }

  /**
   * Equivalent to: {@code ip addr del ADDRESS/LENGTH dev LINK}.
   *
   * @throws NetlinkException EADDRNOTAVAIL when the link does not have that address
   */
  public void deleteAddress(Address address) throws NetlinkException {
    execute(AddressMessages.delete(address));
  }

  // Routes

  /** Equivalent to: {@code ip route show table main; ip -6 route show table main}. */
  public List<Route> routes() throws NetlinkException {
    return routes(RouteMessages.ANY_PROTOCOL);
  }

  /** Equivalent to: {@code ip route show table main proto PROTOCOL; ip -6 route show table main proto PROTOCOL}. */
  public List<Route> routes(int protocol) throws NetlinkException {
    return thread.call(() -> {
      List<Route> all = new ArrayList<>();
      for (IpFamily family : IpFamily.values()) {
        all.addAll(connection.dump(RouteMessages.dump(family),
            message -> RouteMessages.parseIn(message, Rtnetlink.RT_TABLE_MAIN, protocol)));
      }
      return all;
    });
  }

  /**
   * Equivalent to: {@code ip route add ROUTE}.
   *
   * @throws NetlinkException EEXIST when the route exists; EINVAL when the destination has host bits set
   */
  public void addRoute(Route route) throws NetlinkException {
    execute(RouteMessages.change(RouteChange.add(route)));
  }

  /** Equivalent to: {@code ip route replace ROUTE}. */
  public void replaceRoute(Route route) throws NetlinkException {
    execute(RouteMessages.change(RouteChange.replace(route)));
  }

  /**
   * Equivalent to: {@code ip route del ROUTE}, matching every field of the route given.
   *
   * @throws NetlinkException ESRCH when no such route exists
   */
  public void deleteRoute(Route route) throws NetlinkException {
    execute(RouteMessages.change(RouteChange.delete(route)));
  }

  /**
   * Applies many route changes at once, equivalent to {@code ip -batch} but at the kernel's own
   * speed: changes go packed into 64 KiB datagrams without asking for acknowledgements, each
   * datagram closed by one request that does; the kernel answers only the changes it refuses,
   * and each refusal is mapped back to its change by sequence number. A refused change does not
   * stop the others. When replies are lost (ENOBUFS), the routing table is dumped again to learn
   * which of those changes took effect.
   *
   * @return the changes that did not take effect, in the order given, each with its error;
   *     empty when all did
   */
  public List<RouteChange.Failure> applyRoutes(List<RouteChange> changes) throws NetlinkException {
    return thread.call(() -> {
      NetlinkConnection.BatchOutcome outcome = connection.applyRoutes(changes);
      if (outcome.failures().isEmpty() && outcome.unanswered().isEmpty()) {
        return List.of();
      }
      Map<Integer, NetlinkException> failures = new TreeMap<>(outcome.failures());
      if (!outcome.unanswered().isEmpty()) {
        Map<IpPrefix, List<Route>> installed =
            routes().stream().collect(Collectors.groupingBy(Route::destination));
        for (int index : outcome.unanswered()) {
          RouteChange change = changes.get(index);
          if (!change.isVisibleIn(installed.getOrDefault(change.route().destination(), List.of()))) {
            failures.put(index, new NetlinkException(Errno.ENOBUFS, RouteMessages.describe(change)
                + ": reply lost, and the routing table does not show the change"));
          }
        }
      }
      return failures.entrySet().stream()
          .map(failure -> new RouteChange.Failure(changes.get(failure.getKey()), failure.getValue()))
          .toList();
    });
  }

  // Events

  /**
   * Delivers link, address and route changes (IPv4 and IPv6) and forwarding changes of the
   * namespace to the listener, on a thread of their own, until the subscription or this handle
   * is closed. Equivalent to: {@code ip monitor link address route netconf}.
   */
  public EventSubscription subscribe(Consumer<NetlinkEvent> listener) throws NetlinkException {
    return thread.call(() -> {
      EventSubscription subscription = EventSubscription.open(namespace, listener, subscriptions::remove);
      subscriptions.add(subscription);
      return subscription;
    });
  }

  // Sysctl

  /** Equivalent to: {@code sysctl net.ipv4.ip_forward} run inside the namespace. */
  public boolean ipv4Forwarding() throws IOException {
    return thread.call(() -> Files.readString(IPV4_FORWARDING).trim().equals("1"));
  }

  /**
   * Equivalent to: {@code sysctl -w net.ipv4.ip_forward=1} (or 0) run inside the namespace:
   * {@code /proc/sys/net} shows the namespace of the thread that opens it.
   */
  public void setIpv4Forwarding(boolean enabled) throws IOException {
    thread.call(() -> Files.writeString(IPV4_FORWARDING, enabled ? "1\n" : "0\n"));
  }

  /**
   * Closes the subscriptions, the socket and the thread; later calls fail with
   * {@link java.util.concurrent.RejectedExecutionException}.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    List.copyOf(subscriptions).forEach(EventSubscription::close);
    try {
      thread.call(() -> {
        connection.close();
        return null;
      });
    } finally {
      thread.stop();
    }
  }

  private void execute(Request request) throws NetlinkException {
    thread.call(() -> {
      connection.execute(request);
      return null;
    });
  }
}
