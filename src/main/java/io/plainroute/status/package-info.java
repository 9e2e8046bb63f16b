/** Status conventions shared by both roles: conditions as the Kubernetes API conventions define them. */
package io.plainroute.status;
