/**
 * The agent role: programs its own node's kernel (bridge, gateway address, peer routes,
 * masquerade) and writes the CNI configuration that the container runtime hands to the reference
 * CNI plugins when it starts a pod.
 */
package io.plainroute.agent;
