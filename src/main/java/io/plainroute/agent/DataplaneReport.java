package io.plainroute.agent;

import io.plainroute.api.v1alpha1.UnreachablePeer;
import java.util.List;
import java.util.Optional;

/**
 * What one pass over the kernel found and did, for the NodeNetwork's conditions. Each part says
 * whether it is as desired and, if not, why, in words a person can act on.
 *
 * @param bridge the bridge with its gateway address and MTU
 * @param routes the peer routes and forwarding
 * @param cniConfig the CNI config file
 * @param masquerade the nftables masquerade rule
 * @param installedRoutes how many peer routes are installed
 * @param unreachable peers that get no route
 * @param uplink the interface holding the node IP, if found
 * @param driftRepairs how many things someone else had changed and this pass put back
 * @param netlinkErrors how many rtnetlink requests of this pass failed
 */
public record DataplaneReport(
    Part bridge,
    Part routes,
    Part cniConfig,
    Part masquerade,
    int installedRoutes,
    List<UnreachablePeer> unreachable,
    Optional<NodeUplink> uplink,
    int driftRepairs,
    int netlinkErrors) {

  /** This report with {@code more} netlink errors met before the pass (reading the uplink). */
  DataplaneReport plusNetlinkErrors(int more) {
    return more == 0 ? this : new DataplaneReport(bridge, routes, cniConfig, masquerade, installedRoutes, unreachable, uplink,
        driftRepairs, netlinkErrors + more);
  }

  /** One area's outcome: ok, or a reason (CamelCase) and a message. */
  public record Part(boolean ok, String reason, String message) {
    static Part ok(String reason, String message) {
      return new Part(true, reason, message);
    }

    static Part failed(String reason, String message) {
      return new Part(false, reason, message);
    }
  }
}
