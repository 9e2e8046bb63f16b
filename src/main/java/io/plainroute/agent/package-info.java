/**
 * The agent role: turns the node's NodeNetwork, its peers' NodeNetworks and the ClusterNetwork into
 * kernel state (bridge, gateway address, forwarding, one route per peer, masquerade, CNI config),
 * repairs drift on rtnetlink events, and reports what it did in its own NodeNetwork's status and in
 * its own Node's NetworkUnavailable condition ({@link io.plainroute.agent.NodeNetworkAvailability};
 * failed writes retried with backoff, {@link io.plainroute.agent.StatusWriteBackoff}; an exception
 * that stops a pass becomes Ready's reason, {@code AgentReconciler#updateErrorStatus}).
 *
 * <p>Rooms, each with one job:
 * <ul>
 *   <li>{@link io.plainroute.agent.AgentReconciler} — the one reconcile loop: API objects in,
 *       status out; {@link io.plainroute.agent.AgentRuntime} holds the node's handles.</li>
 *   <li>{@link io.plainroute.agent.DesiredDataplane} — the edge: API strings become typed prefixes
 *       and addresses once, here (pure, unit-tested).</li>
 *   <li>{@link io.plainroute.agent.NodeDataplane} — one pass over the kernel (one dump of links,
 *       addresses and routes each, {@link io.plainroute.agent.NodeInterfaces}), handing the desired
 *       state to {@link io.plainroute.agent.Bridge} (link, gateway address, stale addresses),
 *       {@link io.plainroute.agent.Forwarding}, {@link io.plainroute.agent.RouteTable} (diff, one
 *       batch, and the repair of one route), the masquerade rule and the CNI file.</li>
 *   <li>{@link io.plainroute.agent.KernelEvents} — rtnetlink notifications: drift of something
 *       plainroute owns is repaired straight from the notification by the part that owns it; a
 *       pass follows only for what plainroute owns (not for pods' veths). The agent's own changes
 *       are told apart by the port id the kernel stamps on them. {@link io.plainroute.agent.FollowUpPass}
 *       coalesces the pass that follows repairs.</li>
 *   <li>Forwarding switches turned off or on come as {@code RTM_NEWNETCONF} notifications
 *       ({@code RTNLGRP_IPV4_NETCONF}/{@code RTNLGRP_IPV6_NETCONF}) through the same reading: the
 *       kernel announces every change of value, so nothing polls them.</li>
 *   <li>What no rtnetlink group announces: {@link io.plainroute.agent.PolledWatch} (the masquerade
 *       table, polled) and {@link io.plainroute.agent.CniConfigWatch} (the CNI file, inotify).</li>
 *   <li>{@link io.plainroute.agent.ClassPreload} — packaging only: the class-data archive's
 *       training run loads the classes of a real start by name (hack/jvm/class-archive.sh).</li>
 * </ul>
 * The agent uses {@code netlink}, {@code nftables}, {@code status} and {@code api}; nothing uses
 * the agent.
 */
package io.plainroute.agent;
