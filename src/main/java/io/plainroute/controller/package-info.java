/**
 * The controller role: hands every selected Node a subnet (a {@code SubnetClaim}, then its {@code
 * NodeNetwork}), frees the subnets of deleted nodes and reports pool usage on the ClusterNetwork;
 * puts back NodeNetwork spec fields someone else changed, reports nodes in conflict and subnets
 * outside the active ranges, and turns a failed pass into a condition.
 */
package io.plainroute.controller;
