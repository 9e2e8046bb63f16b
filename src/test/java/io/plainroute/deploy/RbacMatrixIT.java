package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What each identity of config/rbac may and may not do, asked of the real API server's RBAC
 * authorizer ({@code kubectl auth can-i --as=system:serviceaccount:...}). "Its own node only"
 * is beyond RBAC: AdmissionPolicyIT proves that part.
 */
@WithControlPlane(controllers = {})
class RbacMatrixIT {

  @BeforeAll
  static void applyRbac(ControlPlane plane) {
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
  }

  @ParameterizedTest(name = "agent {0} {1} {2}: {3}")
  @CsvSource({
      // reads what it programs the node from
      "get,    clusternetworks.plainroute.io,          '',                yes",
      "list,   clusternetworks.plainroute.io,          '',                yes",
      "watch,  clusternetworks.plainroute.io,          '',                yes",
      "list,   nodenetworks.plainroute.io,             '',                yes",
      "watch,  nodenetworks.plainroute.io,             '',                yes",
      "get,    nodenetworks.plainroute.io,             '',                yes",
      // reports in the status (its own node's only: the admission policy)
      "update, nodenetworks.plainroute.io/status,      '',                yes",
      "patch,  nodenetworks.plainroute.io/status,      '',                yes",
      "create, events,                                 default,           yes",
      // NetworkUnavailable on its Node (its own node's and that condition only: the admission policy)
      "patch,  nodes/status,                           '',                yes",
      "update, nodes/status,                           '',                no",
      "get,    nodes/status,                           '',                no",
      // never the allocation itself
      "update, nodenetworks.plainroute.io,             '',                no",
      "patch,  nodenetworks.plainroute.io,             '',                no",
      "create, nodenetworks.plainroute.io,             '',                no",
      "delete, nodenetworks.plainroute.io,             '',                no",
      "update, clusternetworks.plainroute.io,          '',                no",
      "patch,  clusternetworks.plainroute.io,          '',                no",
      "delete, clusternetworks.plainroute.io,          '',                no",
      "update, clusternetworks.plainroute.io/status,   '',                no",
      "list,   subnetclaims.plainroute.io,             '',                yes",
      "create, subnetclaims.plainroute.io,             '',                no",
      "delete, subnetclaims.plainroute.io,             '',                no",
      // nothing else of the cluster
      "get,    nodes,                                  '',                no",
      "patch,  nodes,                                  '',                no",
      "get,    secrets,                                plainroute-system, no",
      "list,   secrets,                                '',                no",
      "get,    configmaps,                             plainroute-system, no",
      "create, pods,                                   plainroute-system, no",
      "update, leases.coordination.k8s.io,             plainroute-system, no",
      "create, serviceaccounts/token,                  plainroute-system, no",
  })
  void agent(String verb, String resource, String namespace, String expected, ControlPlane plane) {
    assertThat(Manifests.canI(plane, Manifests.AGENT, verb, resource, namespace)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "controller {0} {1} {2}: {3}")
  @CsvSource({
      // allocates: Nodes in, NodeNetworks and claims out
      "list,   nodes,                                  '',                yes",
      "watch,  nodes,                                  '',                yes",
      "patch,  nodes,                                  '',                yes",
      "create, nodenetworks.plainroute.io,             '',                yes",
      "patch,  nodenetworks.plainroute.io,             '',                yes",
      "delete, nodenetworks.plainroute.io,             '',                yes",
      "update, nodenetworks.plainroute.io/status,      '',                yes",
      "create, subnetclaims.plainroute.io,             '',                yes",
      "delete, subnetclaims.plainroute.io,             '',                yes",
      "list,   clusternetworks.plainroute.io,          '',                yes",
      "patch,  clusternetworks.plainroute.io/status,   '',                yes",
      "create, events,                                 default,           yes",
      "update, leases.coordination.k8s.io,             plainroute-system, yes",
      // the user's declaration is the user's
      "update, clusternetworks.plainroute.io,          '',                no",
      "delete, clusternetworks.plainroute.io,          '',                no",
      "create, clusternetworks.plainroute.io,          '',                no",
      "update, subnetclaims.plainroute.io,             '',                no",
      // Nodes: podCIDR only (field-level by config/admission), never status or existence
      "update, nodes/status,                           '',                no",
      "patch,  nodes/status,                           '',                no",
      "delete, nodes,                                  '',                no",
      "create, nodes,                                  '',                no",
      // nothing else of the cluster
      "update, leases.coordination.k8s.io,             kube-system,       no",
      "get,    secrets,                                plainroute-system, no",
      "list,   secrets,                                '',                no",
      "create, pods,                                   plainroute-system, no",
      "create, daemonsets.apps,                        plainroute-system, no",
      "create, validatingadmissionpolicies.admissionregistration.k8s.io, '', no",
  })
  void controller(String verb, String resource, String namespace, String expected, ControlPlane plane) {
    assertThat(Manifests.canI(plane, Manifests.CONTROLLER, verb, resource, namespace)).isEqualTo(expected);
  }
}
