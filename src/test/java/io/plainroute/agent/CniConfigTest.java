package io.plainroute.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.plainroute.netlink.IpPrefix;
import io.plainroute.netlink.Ipv4Prefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CniConfigTest {

  /** The lectures' node: 10.244.1.0/24 on cni0. */
  static final CniConfig LECTURE_NODE =
      new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.1.0/24"), Ipv4Prefix.parseAddress("10.244.1.1"));

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aDualStackNodeGetsOneRangeSetAndOneDefaultRoutePerFamily() throws Exception {
    CniConfig dual = new CniConfig("cni0", 1500, List.of(
        new CniConfig.Range(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parseAddress("10.244.1.1")),
        new CniConfig.Range(IpPrefix.parse("fd00:10:244:1::/64"), IpPrefix.parseAddress("fd00:10:244:1::1"))));

    JsonNode ipam = MAPPER.readTree(dual.render()).get("plugins").get(0).get("ipam");

    assertThat(ipam.get("ranges")).hasSize(2);
    assertThat(ipam.get("ranges").get(0).get(0).get("subnet").asText()).isEqualTo("10.244.1.0/24");
    assertThat(ipam.get("ranges").get(1)).hasSize(1);
    assertThat(ipam.get("ranges").get(1).get(0).get("subnet").asText()).isEqualTo("fd00:10:244:1::/64");
    assertThat(ipam.get("ranges").get(1).get(0).get("gateway").asText()).isEqualTo("fd00:10:244:1::1");
    assertThat(ipam.get("routes").findValuesAsText("dst")).containsExactly("0.0.0.0/0", "::/0");
  }

  @Test
  void twoSubnetsOfOneFamilyAreRefused() {
    assertThatIllegalArgumentException().isThrownBy(() -> new CniConfig("cni0", 1500, List.of(
            new CniConfig.Range(IpPrefix.parse("10.244.1.0/24"), IpPrefix.parseAddress("10.244.1.1")),
            new CniConfig.Range(IpPrefix.parse("10.245.1.0/24"), IpPrefix.parseAddress("10.245.1.1")))))
        .withMessageContaining("one range set per family");
  }

  @Test
  void rendersTheConflistOfTheLectureNode() throws Exception {
    JsonNode list = MAPPER.readTree(LECTURE_NODE.render());

    assertThat(fieldNames(list)).containsExactly("cniVersion", "name", "plugins");
    assertThat(list.get("cniVersion").asText()).isEqualTo("1.0.0");
    assertThat(list.get("name").asText()).isEqualTo("plainroute");
    assertThat(list.get("plugins")).hasSize(2);

    JsonNode bridge = list.get("plugins").get(0);
    assertThat(fieldNames(bridge)).containsExactly("type", "bridge", "isGateway", "hairpinMode", "mtu", "ipam");
    assertThat(bridge.get("type").asText()).isEqualTo("bridge");
    assertThat(bridge.get("bridge").asText()).isEqualTo("cni0");
    assertThat(bridge.get("isGateway").isBoolean()).isTrue();
    assertThat(bridge.get("isGateway").booleanValue()).isTrue();
    assertThat(bridge.get("hairpinMode").booleanValue()).isTrue();
    assertThat(bridge.get("mtu").isInt()).isTrue();
    assertThat(bridge.get("mtu").intValue()).isEqualTo(1500);
    // Invariant 8: no NAT between pods, so not even "ipMasq": false that someone might flip.
    assertThat(bridge.has("ipMasq")).isFalse();
    assertThat(bridge.has("isDefaultGateway")).isFalse();

    JsonNode ipam = bridge.get("ipam");
    assertThat(fieldNames(ipam)).containsExactly("type", "ranges", "routes");
    assertThat(ipam.get("type").asText()).isEqualTo("host-local");
    assertThat(ipam.has("dataDir")).as("host-local keeps its default /var/lib/cni/networks").isFalse();
    JsonNode ranges = ipam.get("ranges");
    assertThat(ranges).hasSize(1);
    assertThat(ranges.get(0)).hasSize(1);
    JsonNode range = ranges.get(0).get(0);
    assertThat(fieldNames(range)).containsExactly("subnet", "gateway");
    assertThat(range.get("subnet").asText()).isEqualTo("10.244.1.0/24");
    assertThat(range.get("gateway").asText()).isEqualTo("10.244.1.1");
    JsonNode routes = ipam.get("routes");
    assertThat(routes).hasSize(1);
    assertThat(fieldNames(routes.get(0))).containsExactly("dst");
    assertThat(routes.get(0).get("dst").asText()).isEqualTo("0.0.0.0/0");

    JsonNode portmap = list.get("plugins").get(1);
    assertThat(fieldNames(portmap)).containsExactly("type", "capabilities", "snat");
    assertThat(portmap.get("type").asText()).isEqualTo("portmap");
    assertThat(fieldNames(portmap.get("capabilities"))).containsExactly("portMappings");
    assertThat(portmap.get("capabilities").get("portMappings").booleanValue()).isTrue();
    assertThat(portmap.get("snat").booleanValue()).isTrue();
  }

  @Test
  void rendersTheSameBytesEveryTime() {
    String expected = """
        {
          "cniVersion": "1.0.0",
          "name": "plainroute",
          "plugins": [
            {
              "type": "bridge",
              "bridge": "cni0",
              "isGateway": true,
              "hairpinMode": true,
              "mtu": 1500,
              "ipam": {
                "type": "host-local",
                "ranges": [
                  [
                    {
                      "subnet": "10.244.1.0/24",
                      "gateway": "10.244.1.1"
                    }
                  ]
                ],
                "routes": [
                  {
                    "dst": "0.0.0.0/0"
                  }
                ]
              }
            },
            {
              "type": "portmap",
              "capabilities": {
                "portMappings": true
              },
              "snat": true
            }
          ]
        }
        """;

    assertThat(LECTURE_NODE.render()).isEqualTo(expected);
    assertThat(new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.1.0/24"), Ipv4Prefix.parseAddress("10.244.1.1"))
        .render()).isEqualTo(expected);
  }

  @Test
  void rendersAnotherTopology() throws Exception {
    CniConfig config = new CniConfig("plr0", 1400, Ipv4Prefix.parse("172.30.8.0/26"), Ipv4Prefix.parseAddress("172.30.8.1"));

    JsonNode bridge = MAPPER.readTree(config.render()).get("plugins").get(0);

    assertThat(bridge.get("bridge").asText()).isEqualTo("plr0");
    assertThat(bridge.get("mtu").intValue()).isEqualTo(1400);
    JsonNode range = bridge.get("ipam").get("ranges").get(0).get(0);
    assertThat(range.get("subnet").asText()).isEqualTo("172.30.8.0/26");
    assertThat(range.get("gateway").asText()).isEqualTo("172.30.8.1");
  }

  @Test
  void refusesAGatewayOutsideTheSubnet() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.1.0/24"), Ipv4Prefix.parseAddress("10.244.2.1")))
        .withMessage("gateway 10.244.2.1 is not inside 10.244.1.0/24");
  }

  @Test
  void refusesAPodCidrWithHostBits() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CniConfig("cni0", 1500, Ipv4Prefix.parse("10.244.1.1/24"), Ipv4Prefix.parseAddress("10.244.1.1")))
        .withMessageContaining("not a network");
  }

  @Test
  void refusesImpossibleBridgeNamesAndMtus() {
    Ipv4Prefix subnet = Ipv4Prefix.parse("10.244.1.0/24");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CniConfig("a-bridge-name-too-long", 1500, subnet, Ipv4Prefix.parseAddress("10.244.1.1")));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> new CniConfig("cni0", 67, subnet, Ipv4Prefix.parseAddress("10.244.1.1")));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
