/**
 * Subnet allocation as pure logic: parsing and checking cluster ranges, cutting them into node
 * subnets and finding free ones, one pool per address family (IPv4, IPv6). No Kubernetes types and
 * no I/O, so it is tested in milliseconds.
 * CIDR arithmetic goes through the IPAddress library.
 */
package io.plainroute.ipam;
