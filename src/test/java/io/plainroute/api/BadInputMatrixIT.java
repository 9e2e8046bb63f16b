package io.plainroute.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.plainroute.api.BadInputTable.Outcome;
import io.plainroute.api.BadInputTable.Row;
import io.plainroute.testing.ControlPlane;
import io.plainroute.testing.WithControlPlane;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rows of docs/bad-input.md that the API server alone decides (test column {@code schema} or
 * {@code api}), each sent to a real kube-apiserver with the generated CRDs: a refused row must get
 * a 422 whose message contains the row's promised text (which names the field), an accepted row
 * must be stored. No controller runs here.
 */
@WithControlPlane(controllers = {})
class BadInputMatrixIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** Valid specs the schema rows' patches are applied to, by the row id's prefix. */
  private static final Map<String, String> KINDS = Map.of("cn", "ClusterNetwork", "nn", "NodeNetwork", "sc", "SubnetClaim");
  private static final Map<String, String> VALID = Map.of(
      "cn", "{\"clusterCIDRs\":[\"10.244.0.0/16\"],\"nodeSubnetPrefixLength\":24}",
      "nn", "{\"nodeName\":\"%s\",\"podCIDR\":\"10.244.1.0/24\",\"gateway\":\"10.244.1.1\",\"nodeIP\":\"192.168.1.11\"}",
      "sc", "{\"cidr\":\"10.244.1.0/24\",\"nodeName\":\"node01\",\"clusterNetwork\":\"default\"}");

  /** Rows the API server decides that cannot be written as one patch. */
  static final Map<String, Consumer<ControlPlane>> SCENARIOS = new LinkedHashMap<>();

  static {
    SCENARIOS.put("node-podcidr-changed", BadInputMatrixIT::nodePodCIDRChanged);
    SCENARIOS.put("cn-nodeselector-huge", BadInputMatrixIT::hugeNodeSelector);
    SCENARIOS.put("nn-status-routes-string", BadInputMatrixIT::statusOfTheWrongType);
  }

  @TestFactory
  Stream<DynamicTest> everyRowTheApiServerDecides(ControlPlane plane) {
    return BadInputTable.rows().stream()
        .filter(row -> row.test().equals("schema") || row.test().equals("api"))
        .map(row -> DynamicTest.dynamicTest(row.toString(), () -> check(row, plane)));
  }

  private static void check(Row row, ControlPlane plane) {
    if (row.test().equals("api")) {
      assertThat(SCENARIOS).as("a scenario for row %s", row.id()).containsKey(row.id());
      SCENARIOS.get(row.id()).accept(plane);
      return;
    }
    KubernetesClient client = plane.client();
    List<String> patches = row.patches();
    String prefix = row.id().substring(0, row.id().indexOf('-'));
    assertThat(KINDS).as("the object of row %s, by its id's prefix", row.id()).containsKey(prefix);
    String name = row.id() + "-" + NAMES.incrementAndGet();
    GenericKubernetesResource object = object(KINDS.get(prefix), name, merge(VALID.get(prefix).formatted(name), patches.get(0)));
    if (patches.size() == 1) {
      expect(row, () -> client.resource(object).create());
      return;
    }
    GenericKubernetesResource created = client.resource(object).create();
    expect(row, () -> client.resource(created).patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":" + patches.get(1) + "}"));
  }

  private static void expect(Row row, Runnable write) {
    if (row.outcome() == Outcome.REFUSED) {
      assertThat(row.messagePart()).as("row %s promises a message", row.id()).isPresent();
      assertThatThrownBy(write::run)
          .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
          .hasMessageContaining(row.messagePart().orElseThrow());
    } else {
      assertThat(row.outcome()).as("the API server alone can only refuse or accept").isEqualTo(Outcome.ACCEPTED);
      assertThatCode(write::run).doesNotThrowAnyException();
    }
  }

  /** kube-apiserver's own rule: a Node's podCIDR is set once. */
  private static void nodePodCIDRChanged(ControlPlane plane) {
    KubernetesClient client = plane.client();
    String name = "node-podcidr-" + NAMES.incrementAndGet();
    client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withPodCIDR("10.244.7.0/24").withPodCIDRs("10.244.7.0/24").endSpec().build()).create();
    Node named = new NodeBuilder().withNewMetadata().withName(name).endMetadata().build();
    assertThatThrownBy(() -> client.nodes().resource(named).patch(PatchContext.of(PatchType.JSON_MERGE),
        "{\"spec\":{\"podCIDR\":\"10.244.8.0/24\",\"podCIDRs\":[\"10.244.8.0/24\"]}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.podCIDRs: Forbidden: node updates may not change podCIDR");
  }

  /** 10,000 labels: more than any Node carries; the schema bounds the map. */
  private static void hugeNodeSelector(ControlPlane plane) {
    ObjectNode selector = JSON.createObjectNode();
    for (int i = 0; i < 10_000; i++) {
      selector.put("example.com/label-" + i, "value-" + i);
    }
    ObjectNode spec = (ObjectNode) parse(VALID.get("cn"));
    spec.set("nodeSelector", selector);
    GenericKubernetesResource cn = object("ClusterNetwork", "cn-nodeselector-huge-" + NAMES.incrementAndGet(), spec);
    assertThatThrownBy(() -> plane.client().resource(cn).create())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("spec.nodeSelector: Too many");
  }

  /** The status subresource has a schema too. */
  private static void statusOfTheWrongType(ControlPlane plane) {
    String name = "nn-status-" + NAMES.incrementAndGet();
    GenericKubernetesResource nn = plane.client().resource(object("NodeNetwork", name, parse(VALID.get("nn").formatted(name)))).create();
    assertThatThrownBy(() -> plane.client().resource(nn).subresource("status")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"routes\":\"many\"}}"))
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(422))
        .hasMessageContaining("status.routes: Invalid value: \"string\"");
  }

  private static GenericKubernetesResource object(String kind, String name, JsonNode spec) {
    GenericKubernetesResource object = new GenericKubernetesResource();
    object.setApiVersion("plainroute.io/v1alpha1");
    object.setKind(kind);
    object.setMetadata(new ObjectMetaBuilder().withName(name).build());
    object.setAdditionalProperty("spec", JSON.convertValue(spec, Map.class));
    return object;
  }

  /** RFC 7386: objects merge, null removes, anything else replaces. */
  private static JsonNode merge(String base, String patch) {
    return merge(parse(base), parse(patch));
  }

  private static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject() || !target.isObject()) {
      return patch;
    }
    ObjectNode result = ((ObjectNode) target).deepCopy();
    patch.fields().forEachRemaining(field -> {
      if (field.getValue().isNull()) {
        result.remove(field.getKey());
      } else {
        result.set(field.getKey(), result.has(field.getKey()) ? merge(result.get(field.getKey()), field.getValue()) : field.getValue());
      }
    });
    return result;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
