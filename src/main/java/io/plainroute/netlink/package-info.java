/**
 * Links, addresses and routes of both families (IPv4 and IPv6, typed as the sealed
 * {@link io.plainroute.netlink.IpPrefix}) and forwarding switches of a network namespace over
 * rtnetlink, as a person reads them: {@link io.plainroute.netlink.NetlinkHandle} (each method names its {@code ip}
 * equivalent), the values it speaks in, and {@link io.plainroute.netlink.EventSubscription}. The
 * wire codec beneath it is {@link io.plainroute.netlink.nl}; namespaces and their threads are
 * {@link io.plainroute.netns}. Route changes go out packed into 64 KiB datagrams with only a
 * closing acknowledgement; failures come back by sequence number. No Kubernetes types.
 */
package io.plainroute.netlink;
