package io.plainroute;

/** The roles one jar plays (property plainroute.role, env PLAINROUTE_ROLE). */
public final class Roles {
  public static final String PROPERTY = "plainroute.role";
  public static final String CONTROLLER = "controller";
  public static final String AGENT = "agent";
  /** Removes what the agent created on the node, then exits. */
  public static final String CLEANUP = "cleanup";

  private Roles() {}
}
