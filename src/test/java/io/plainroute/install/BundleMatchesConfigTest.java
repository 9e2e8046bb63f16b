package io.plainroute.install;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.CRDDescription;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.ClusterServiceVersion;
import io.fabric8.openshift.api.model.operatorhub.v1alpha1.RelatedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed bundle says what the plain manifests say: an OLM install grants exactly config/rbac
 * (plus config/olm's DaemonSet permission), runs config/controller's Deployment and config/agent's
 * DaemonSet on one image, and its example is config/samples'. Reads committed files only, so it
 * runs with the unit tests; BundleInSyncIT checks the bundle against the build as well.
 */
class BundleMatchesConfigTest {
  private static final KubernetesSerialization YAML = new KubernetesSerialization();
  private static ClusterServiceVersion csv;

  @BeforeAll
  static void readCsv() throws IOException {
    csv = YAML.unmarshal(Files.readString(Path.of("bundle").resolve(BundleFinisher.CSV)), ClusterServiceVersion.class);
  }

  @Test
  void permissionsAreThoseOfConfigRbacAndConfigOlm() {
    ConfigRbac config = ConfigRbac.read(List.of(Path.of("config/rbac"), Path.of("config/olm")));
    var install = csv.getSpec().getInstall().getSpec();
    assertThat(install.getClusterPermissions()).as("clusterPermissions drifted from config/rbac: run `make bundle`")
        .isEqualTo(config.clusterPermissions());
    assertThat(install.getPermissions()).as("permissions drifted from config/rbac + config/olm: run `make bundle`")
        .isEqualTo(config.permissions());
    assertThat(install.getClusterPermissions()).extracting(p -> p.getServiceAccountName())
        .containsExactly("plainroute-agent", "plainroute-controller");
  }

  @Test
  void ownsAllThreeApisAndHidesTheInternalOne() {
    assertThat(csv.getSpec().getCustomresourcedefinitions().getOwned()).extracting(CRDDescription::getName)
        .containsExactly("clusternetworks.plainroute.io", "nodenetworks.plainroute.io", "subnetclaims.plainroute.io");
    assertThat(csv.getSpec().getCustomresourcedefinitions().getOwned()).allSatisfy(d -> {
      assertThat(d.getDisplayName()).isNotBlank();
      assertThat(d.getDescription()).isNotBlank();
    });
    assertThat(csv.getMetadata().getAnnotations()).containsEntry("operators.operatorframework.io/internal-objects", "[\"subnetclaims.plainroute.io\"]");
  }

  @Test
  void installsOnlyForAllNamespaces() {
    assertThat(csv.getSpec().getInstallModes()).filteredOn(m -> m.getSupported()).extracting(m -> m.getType())
        .containsExactly("AllNamespaces");
  }

  @Test
  void theControllerInstallsTheAgentOnTheOperatorsOwnImage() throws IOException {
    var deployments = csv.getSpec().getInstall().getSpec().getDeployments();
    assertThat(deployments).hasSize(1);
    var container = deployments.get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    String image = csv.getMetadata().getAnnotations().get("containerImage");
    assertThat(container.getImage()).isEqualTo(image);
    assertThat(container.getEnv()).extracting(EnvVar::getName, EnvVar::getValue)
        .contains(tuple("PLAINROUTE_AGENT_INSTALL_ENABLED", "true"), tuple(BundleFinisher.RELATED_IMAGE_ENV, image));
    assertThat(csv.getSpec().getRelatedImages()).extracting(RelatedImage::getImage).containsExactly(image);
    DaemonSet agent = YAML.unmarshal(Files.readString(Path.of("config/agent/daemonset.yaml")), DaemonSet.class);
    assertThat(agent.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
        .as("the agent of the plain manifests runs the same release").isEqualTo(image);
  }

  @Test
  void theExampleIsTheSampleClusterNetwork() throws IOException {
    ObjectMapper json = new ObjectMapper();
    JsonNode examples = json.readTree(csv.getMetadata().getAnnotations().get("alm-examples"));
    JsonNode sample = new ObjectMapper(new YAMLFactory()).readTree(Path.of("config/samples/clusternetwork.yaml").toFile());
    assertThat(examples).hasSize(1);
    assertThat(examples.get(0)).isEqualTo(sample);
  }
}
