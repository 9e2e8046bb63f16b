/**
 * The controller role: hands every selected Node a subnet (a {@code SubnetClaim}, then its {@code
 * NodeNetwork}), frees the subnets of deleted nodes and reports pool usage on the ClusterNetwork.
 */
package io.plainroute.controller;
