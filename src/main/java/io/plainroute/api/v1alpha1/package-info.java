/**
 * The plainroute API, group {@code plainroute.io}, version {@code v1alpha1}: {@link
 * io.plainroute.api.v1alpha1.ClusterNetwork} (what the user declares), {@link
 * io.plainroute.api.v1alpha1.NodeNetwork} (one per node: its subnet, and what its agent did) and
 * {@link io.plainroute.api.v1alpha1.SubnetClaim} (the controller's lock on one subnet). All are
 * cluster-scoped. Validation lives in the schema (OpenAPI + CEL) so a bad object is refused by the
 * API server with a message naming the field; the controller re-checks what CEL cannot see.
 */
package io.plainroute.api.v1alpha1;
