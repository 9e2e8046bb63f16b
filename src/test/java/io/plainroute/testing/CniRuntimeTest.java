package io.plainroute.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CniRuntimeTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode list = json("""
      {"cniVersion": "1.0.0", "name": "net", "plugins": [
        {"type": "bridge", "ipam": {"type": "host-local"}},
        {"type": "portmap", "capabilities": {"portMappings": true}}]}
      """);
  private final JsonNode bridge = list.get("plugins").get(0);
  private final JsonNode portmap = list.get("plugins").get(1);

  @Test
  void addsTheListsNameAndVersionAndThePreviousResult() {
    JsonNode prevResult = json("{\"cniVersion\": \"1.0.0\", \"ips\": []}");

    ObjectNode config = CniRuntime.pluginConfig(list, portmap, prevResult, Map.of(), Optional.empty());

    assertThat(config.get("type").asText()).isEqualTo("portmap");
    assertThat(config.get("name").asText()).isEqualTo("net");
    assertThat(config.get("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(config.get("prevResult")).isEqualTo(prevResult);
    assertThat(config.has("runtimeConfig")).isFalse();
  }

  @Test
  void givesCapabilityArgumentsOnlyToPluginsThatDeclareThem() {
    Map<String, JsonNode> args = Map.of(
        "portMappings", json("[{\"hostPort\": 8080, \"containerPort\": 80, \"protocol\": \"tcp\"}]"),
        "bandwidth", json("{\"ingressRate\": 1000}"));

    ObjectNode forPortmap = CniRuntime.pluginConfig(list, portmap, null, args, Optional.empty());
    ObjectNode forBridge = CniRuntime.pluginConfig(list, bridge, null, args, Optional.empty());

    assertThat(forPortmap.get("runtimeConfig")).isEqualTo(json("{\"portMappings\": "
        + "[{\"hostPort\": 8080, \"containerPort\": 80, \"protocol\": \"tcp\"}]}"));
    assertThat(forBridge.has("runtimeConfig")).isFalse();
    assertThat(forBridge.has("prevResult")).isFalse();
  }

  @Test
  void pointsHostLocalAtTheTestsDataDirectoryInACopy() {
    ObjectNode config = CniRuntime.pluginConfig(list, bridge, null, Map.of(), Optional.of(Path.of("/tmp/ipam")));

    assertThat(config.get("ipam").get("dataDir").asText()).isEqualTo("/tmp/ipam");
    assertThat(bridge.get("ipam").has("dataDir")).as("the list itself is unchanged").isFalse();
    assertThat(CniRuntime.pluginConfig(list, portmap, null, Map.of(), Optional.of(Path.of("/tmp/ipam"))).has("ipam"))
        .isFalse();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(text, e);
    }
  }
}
