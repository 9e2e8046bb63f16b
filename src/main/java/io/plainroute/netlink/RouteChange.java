package io.plainroute.netlink;

import java.util.Collection;
import java.util.Objects;

/**
 * One change of a batch given to {@link NetlinkHandle#applyRoutes}.
 *
 * @param kind what to do
 * @param route the route to add, replace or delete
 */
public record RouteChange(Kind kind, Route route) {

  /** What a change does, with its {@code ip route} verb. */
  public enum Kind {
    /** {@code ip route add}: fails with EEXIST when the route exists. */
    ADD,
    /** {@code ip route replace}: adds or overwrites. */
    REPLACE,
    /** {@code ip route del}: fails with ESRCH when the route is missing. */
    DELETE
  }

  /** A change that the kernel refused, or whose outcome could not be confirmed. */
  public record Failure(RouteChange change, NetlinkException error) {
  }

  public RouteChange {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(route, "route");
  }

  public static RouteChange add(Route route) {
    return new RouteChange(Kind.ADD, route);
  }

  public static RouteChange replace(Route route) {
    return new RouteChange(Kind.REPLACE, route);
  }

  public static RouteChange delete(Route route) {
    return new RouteChange(Kind.DELETE, route);
  }

  /** Whether the installed routes show this change as done, when its acknowledgement was lost. */
  boolean isVisibleIn(Collection<Route> installed) {
    boolean present = installed.stream().anyMatch(route::isSatisfiedBy);
    return kind == Kind.DELETE ? !present : present;
  }
}
