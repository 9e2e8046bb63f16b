/**
 * The agent role: turns the node's NodeNetwork, its peers' NodeNetworks and the ClusterNetwork into
 * kernel state (bridge, gateway address, forwarding, one route per peer, masquerade, CNI config),
 * repairs drift on rtnetlink events, and reports what it did in its own NodeNetwork's status and in
 * its own Node's NetworkUnavailable condition (retrying failed writes with backoff).
 */
package io.plainroute.agent;
