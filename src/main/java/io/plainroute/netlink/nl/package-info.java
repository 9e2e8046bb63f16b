/**
 * The netlink wire codec, as {@code nl/} is under vishvananda/netlink's API: constants spelled as
 * in the kernel headers ({@link io.plainroute.netlink.nl.Netlink}, {@link
 * io.plainroute.netlink.nl.Rtnetlink}, ...), the fixed headers, a {@link
 * io.plainroute.netlink.nl.MessageWriter} that encodes straight into a reused buffer, and
 * cursors ({@link io.plainroute.netlink.nl.MessageReader}, {@link
 * io.plainroute.netlink.nl.AttributeReader}) that decode in place, without a map of attributes or
 * an object per message. Bytes only: no sockets, no threads, nothing else of plainroute.
 */
package io.plainroute.netlink.nl;
