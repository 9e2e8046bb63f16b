package io.plainroute;

/** The two roles one jar plays (property plainroute.role, env PLAINROUTE_ROLE). */
public final class Roles {
  public static final String PROPERTY = "plainroute.role";
  public static final String CONTROLLER = "controller";
  public static final String AGENT = "agent";

  private Roles() {}
}
