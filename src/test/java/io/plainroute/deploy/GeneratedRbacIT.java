package io.plainroute.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * config/ is the source of truth for deploying plainroute; quarkus-operator-sdk's generated
 * manifests (target/kubernetes/kubernetes.yml) are not shipped. Its RBAC cannot be least
 * privilege — it grants every reconciler all verbs on its primary resource and that resource's
 * status and finalizers — but it knows which reconcilers exist and what they watch. This test
 * holds config/rbac against it: every reconciler has a role there, and that role can read
 * everything the generator says the reconciler watches. (What each role may write is proven by
 * RbacMatrixIT, and that it is enough by ControllerRbacIT and AgentAsDeployedIT.)
 */
class GeneratedRbacIT {
  private static final Path GENERATED = Path.of("target", "kubernetes", "kubernetes.yml");
  /** Reconciler name (@ControllerConfiguration) to its ClusterRole in config/rbac. */
  private static final Map<String, String> ROLES = Map.of(
      "clusternetwork", "plainroute-controller",
      "agent", "plainroute-agent");
  private static final String SUFFIX = "-cluster-role";
  private final KubernetesSerialization yaml = new KubernetesSerialization();

  @Test
  void everyReconcilerCanReadWhatItWatchesWithConfigRbac() throws IOException {
    List<ClusterRole> generated = clusterRoles(GENERATED);
    List<ClusterRole> configured = new ArrayList<>(clusterRoles(Path.of("config", "rbac", "controller.yaml")));
    configured.addAll(clusterRoles(Path.of("config", "rbac", "agent.yaml")));
    assertThat(generated).as("reconciler roles generated into %s", GENERATED).isNotEmpty();

    for (ClusterRole role : generated) {
      String reconciler = role.getMetadata().getName().replace(SUFFIX, "");
      assertThat(ROLES).as("reconciler '%s' is new: give it a ClusterRole in config/rbac and map it here", reconciler)
          .containsKey(reconciler);
      ClusterRole own = configured.stream().filter(r -> r.getMetadata().getName().equals(ROLES.get(reconciler))).findFirst()
          .orElseThrow(() -> new AssertionError("config/rbac has no ClusterRole " + ROLES.get(reconciler)));
      for (PolicyRule rule : role.getRules()) {
        for (String group : rule.getApiGroups()) {
          // Subresources are the generator's blanket grant (an agent never writes ClusterNetwork status).
          rule.getResources().stream().filter(resource -> !resource.contains("/")).forEach(resource -> {
            for (String verb : List.of("get", "list", "watch")) {
              assertThat(grants(own, group, resource, verb))
                  .as("%s (reconciler %s) may %s %s.%s", own.getMetadata().getName(), reconciler, verb, resource, group).isTrue();
            }
          });
        }
      }
    }
  }

  private static boolean grants(ClusterRole role, String group, String resource, String verb) {
    return role.getRules().stream().anyMatch(rule -> rule.getApiGroups().contains(group)
        && rule.getResources().contains(resource) && (rule.getVerbs().contains(verb) || rule.getVerbs().contains("*")));
  }

  private List<ClusterRole> clusterRoles(Path file) throws IOException {
    Object parsed = yaml.unmarshal(Files.readString(file));
    List<?> items = parsed instanceof KubernetesList list ? list.getItems() : parsed instanceof List<?> l ? l : List.of(parsed);
    return items.stream().filter(ClusterRole.class::isInstance).map(ClusterRole.class::cast).toList();
  }
}
