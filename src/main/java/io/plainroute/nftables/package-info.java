/**
 * Masquerade of pod traffic that leaves the cluster ranges, programmed through libnftables
 * (jnr-ffi, no {@code nft} process): one table of plainroute's own, {@code table ip plainroute},
 * replaced whole in one transaction. Other tables are never read for changes nor written.
 * No Kubernetes types.
 */
package io.plainroute.nftables;
