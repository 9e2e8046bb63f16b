package io.plainroute.install;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.StrategyDeploymentPermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The RBAC of the plain manifests, as a CSV's install strategy says it: per ServiceAccount, the
 * rules of the ClusterRoles bound to it cluster-wide (clusterPermissions) and of the Roles bound to
 * it in the operator's namespace (permissions). OLM creates the ServiceAccounts, roles and bindings
 * from these, in the namespace it installs into.
 */
record ConfigRbac(List<StrategyDeploymentPermissions> clusterPermissions, List<StrategyDeploymentPermissions> permissions) {

  /** Every YAML file of the given kustomize directories (config/rbac, config/olm). */
  static ConfigRbac read(List<Path> directories) {
    List<HasMetadata> objects = new ArrayList<>();
    directories.forEach(dir -> objects.addAll(objectsIn(dir)));
    Map<String, List<PolicyRule>> cluster = new TreeMap<>();
    Map<String, List<PolicyRule>> namespaced = new TreeMap<>();
    for (HasMetadata o : objects) {
      if (o instanceof ClusterRoleBinding b) {
        List<PolicyRule> rules = find(objects, ClusterRole.class, b.getRoleRef().getName()).getRules();
        serviceAccounts(b.getSubjects()).forEach(sa -> cluster.computeIfAbsent(sa, k -> new ArrayList<>()).addAll(rules));
      } else if (o instanceof RoleBinding b) {
        if (!"Role".equals(b.getRoleRef().getKind())) {
          throw new IllegalArgumentException("RoleBinding " + b.getMetadata().getName() + " binds a " + b.getRoleRef().getKind()
              + ": a CSV can only say that with a Role");
        }
        List<PolicyRule> rules = find(objects, Role.class, b.getRoleRef().getName()).getRules();
        serviceAccounts(b.getSubjects()).forEach(sa -> namespaced.computeIfAbsent(sa, k -> new ArrayList<>()).addAll(rules));
      }
    }
    return new ConfigRbac(asPermissions(cluster), asPermissions(namespaced));
  }

  private static List<StrategyDeploymentPermissions> asPermissions(Map<String, List<PolicyRule>> bySa) {
    return bySa.entrySet().stream().map(e -> {
      StrategyDeploymentPermissions p = new StrategyDeploymentPermissions();
      p.setServiceAccountName(e.getKey());
      p.setRules(e.getValue());
      return p;
    }).toList();
  }

  private static List<String> serviceAccounts(List<Subject> subjects) {
    return subjects.stream().filter(s -> "ServiceAccount".equals(s.getKind())).map(Subject::getName).toList();
  }

  private static <T extends HasMetadata> T find(List<HasMetadata> objects, Class<T> kind, String name) {
    return objects.stream().filter(kind::isInstance).map(kind::cast).filter(o -> o.getMetadata().getName().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no " + kind.getSimpleName() + " named " + name + " in config/"));
  }

  static List<HasMetadata> objectsIn(Path dir) {
    KubernetesSerialization yaml = new KubernetesSerialization();
    try (Stream<Path> files = Files.list(dir)) {
      List<HasMetadata> all = new ArrayList<>();
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml") && !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList()) {
        Object parsed = yaml.unmarshal(Files.readString(f));
        if (parsed instanceof KubernetesList list) {
          all.addAll(list.getItems());
        } else if (parsed instanceof List<?> list) {
          list.forEach(o -> all.add((HasMetadata) o));
        } else {
          all.add((HasMetadata) parsed);
        }
      }
      return all;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
