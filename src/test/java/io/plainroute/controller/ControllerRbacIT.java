package io.plainroute.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.plainroute.api.v1alpha1.Conditions;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The controller runs with exactly the RBAC of config/rbac — a ServiceAccount token, not the test's
 * cluster-admin — and the admission policies of config/admission, and still does its whole job,
 * including Node podCIDRs and leader election in its own namespace.
 */
@WithControlPlane
class ControllerRbacIT {
  private static final String ACCOUNT = "system:serviceaccount:plainroute-system:plainroute-controller";
  private static ControllerHarness.Controller controller;

  @BeforeAll
  static void deployWithItsOwnIdentity(ControlPlane plane) throws Exception {
    plane.kubectl("apply", "-k", "config/rbac").orThrow();
    // The Node policy too: setting podCIDRs must get through it.
    plane.kubectl("apply", "-k", "config/admission").orThrow();
    String token = plane.kubectl("create", "token", "plainroute-controller", "-n", "plainroute-system", "--duration=1h").orThrow().strip();
    Path kubeconfig = plane.directory().resolve("controller.kubeconfig");
    Files.writeString(kubeconfig, Files.readString(plane.kubeconfig()).replaceAll("(?m)^(\\s*token:).*$", "$1 " + token));
    controller = ControllerHarness.start(plane, "controller-sa", "plainroute-controller",
        Map.of("plainroute.leader-election.namespace", "plainroute-system"), Map.of("KUBECONFIG", kubeconfig.toString()));
  }

  @AfterAll
  static void stop() {
    if (controller != null) {
      controller.close();
    }
  }

  @Test
  void allocatesWithNoMoreThanItsOwnPermissions(ControlPlane plane) throws Exception {
    Cluster cluster = new Cluster(plane.client());
    cluster.declare("default", List.of("10.244.0.0/16"), 24);
    cluster.addNode("node01", "192.168.1.11");
    cluster.addNode("node02", "192.168.1.12");

    await().atMost(Duration.ofSeconds(60)).failFast("controller died", () -> !controller.process().isAlive())
        .until(() -> cluster.conditionIs("default", Conditions.READY, Conditions.TRUE) && cluster.nodeNetworks().size() == 2);
    cluster.assertAllocationIsSound(Set.of("node01", "node02"), List.of("10.244.0.0/16"), 24);
    assertThat(plane.client().nodes().withName("node01").get().getSpec().getPodCIDR()).isNotBlank();
    cluster.addNode("node03", "192.168.1.12");
    await().atMost(Duration.ofSeconds(60)).until(() -> cluster.nodeNetwork("node03").map(nn -> nn.getStatus()).map(st -> st.getConditions()
        .stream().anyMatch(c -> c.getType().equals(Conditions.CONFLICT) && c.getStatus().equals("True"))).orElse(false));
    Lease lease = plane.client().leases().inNamespace("plainroute-system").withName("plainroute-controller").get();
    assertThat(lease.getSpec().getHolderIdentity()).isNotBlank();
    assertThat(controller.logTail()).doesNotContain("Forbidden").doesNotContain("forbidden");
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
      "patch,  nodes,                          yes",
      "delete, nodes,                          no",
      "update, clusternetworks.plainroute.io,   no",
      "delete, clusternetworks.plainroute.io,   no",
      "patch,  clusternetworks.plainroute.io/status, yes",
      "create, subnetclaims.plainroute.io,      yes",
      "update, subnetclaims.plainroute.io,      no",
      "get,    secrets,                         no",
      "create, pods,                            no",
  })
  void canDoOnlyWhatItNeeds(String verb, String resource, String expected, ControlPlane plane) {
    String[] parts = resource.split("/");
    List<String> args = new java.util.ArrayList<>(List.of("auth", "can-i", verb, parts[0], "--as=" + ACCOUNT));
    if (parts.length > 1) {
      args.add("--subresource=" + parts[1]);
    }
    assertThat(plane.kubectl(args.toArray(String[]::new)).stdout().strip()).isEqualTo(expected);
  }

  @Test
  void itsLeaseIsItsOwnNamespacesOnly(ControlPlane plane) {
    assertThat(plane.kubectl("auth", "can-i", "update", "leases", "-n", "plainroute-system", "--as=" + ACCOUNT).stdout().strip()).isEqualTo("yes");
    assertThat(plane.kubectl("auth", "can-i", "update", "leases", "-n", "kube-system", "--as=" + ACCOUNT).stdout().strip()).isEqualTo("no");
  }
}
