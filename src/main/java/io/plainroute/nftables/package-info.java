/**
 * Masquerade of pod traffic that leaves the cluster ranges, programmed through libnftables
 * (jnr-ffi, no {@code nft} process): one table of plainroute's own for both families,
 * {@code table inet plainroute} (one rule per family), replaced whole in one transaction that also
 * deletes the IPv4-only {@code table ip plainroute} of earlier releases. Other tables are never read for changes nor written.
 * No Kubernetes types.
 */
package io.plainroute.nftables;
