/**
 * Network namespaces and the platform threads that live in them: {@link
 * io.plainroute.netns.NetworkNamespace} names one, {@link io.plainroute.netns.NamespaceThread}
 * runs work inside it. Kernel interfaces that work per namespace (netlink, nftables) build on
 * this; it depends on nothing else of plainroute.
 */
package io.plainroute.netns;
