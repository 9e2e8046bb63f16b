package io.plainroute.agent;

import io.plainroute.api.v1alpha1.UnreachablePeer;
import io.plainroute.netlink.IpFamily;

/**
 * A peer that plain routing cannot reach in one family; in the other it may well be routed.
 *
 * @param family the family whose route is missing
 * @param peer the node, its node address of that family and the reason, as status shows them
 */
public record PeerProblem(IpFamily family, UnreachablePeer peer) {}
