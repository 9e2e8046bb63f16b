package io.plainroute.nftables;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.plainroute.netlink.IpPrefix;
import io.plainroute.nftables.MasqueradeState.Absent;
import io.plainroute.nftables.MasqueradeState.Installed;
import io.plainroute.nftables.MasqueradeState.Unrecognised;

/**
 * Reads what libnftables lists in JSON ({@code nft -j list ...}) back into a
 * {@link MasqueradeState}. It recognises only the exact shape that {@link PlainrouteTable} writes:
 * anything more, less or different is {@link Unrecognised}, so that an apply puts it right.
 */
final class TableListing {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** A rule's expressions as libnftables lists them, with protocol, set and bridge name still to be put in. */
  private static final String RULE_EXPRESSIONS = """
      [{"match": {"op": "==", "left": {"payload": {"protocol": "PROTO", "field": "saddr"}}, "right": "@SET"}},
       {"match": {"op": "!=", "left": {"payload": {"protocol": "PROTO", "field": "daddr"}}, "right": "@SET"}},
       {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "BRIDGE"}},
       {"masquerade": null}]
      """;
  private static final JsonNode RULE_EXPRESSIONS_IPV4 = read(RULE_EXPRESSIONS.replace("PROTO", "ip").replace("SET", PlainrouteTable.SET));
  private static final JsonNode RULE_EXPRESSIONS_IPV6 = read(RULE_EXPRESSIONS.replace("PROTO", "ip6").replace("SET", PlainrouteTable.SET6));
  private static final int BRIDGE_MATCH = 2;
  private static final JsonNode INTERVAL_FLAGS = read("[\"interval\"]");
  /** {@code priority srcnat} in the ip and inet families. */
  private static final int SRCNAT = 100;

  private TableListing() {
  }

  /** Whether the JSON of {@code list tables} names plainroute's table of the nft family. */
  static boolean hasTable(String json, String family) throws NftablesException {
    for (JsonNode object : objects(json)) {
      JsonNode table = object.path("table");
      if (PlainrouteTable.NAME.equals(table.path("name").asText(null))
          && family.equals(table.path("family").asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** The state that the JSON of {@code list table inet plainroute} shows. */
  static MasqueradeState state(String json) throws NftablesException {
    List<JsonNode> sets = new ArrayList<>();
    List<JsonNode> chains = new ArrayList<>();
    List<JsonNode> rules = new ArrayList<>();
    boolean table = false;
    for (JsonNode object : objects(json)) {
      String kind = object.fieldNames().hasNext() ? object.fieldNames().next() : "";
      switch (kind) {
        case "metainfo" -> { }
        case "table" -> table = true;
        case "set" -> sets.add(object.get(kind));
        case "chain" -> chains.add(object.get(kind));
        case "rule" -> rules.add(object.get(kind));
        default -> {
          return new Unrecognised("the table holds a " + kind + ", which plainroute does not write");
        }
      }
    }
    if (!table) {
      return new Absent();
    }
    sets.sort(java.util.Comparator.comparing(set -> set.path("name").asText()));
    if (sets.size() != 2 || !PlainrouteTable.SET.equals(sets.get(0).path("name").asText())
        || !PlainrouteTable.SET6.equals(sets.get(1).path("name").asText())) {
      return new Unrecognised("the table has " + sets.size() + " sets, not only " + PlainrouteTable.SET + " and "
          + PlainrouteTable.SET6);
    }
    if (chains.size() != 1 || !chainIsOurs(chains.get(0))) {
      return new Unrecognised("the table does not have exactly one chain " + PlainrouteTable.CHAIN
          + " (type nat hook postrouting priority srcnat; policy accept)");
    }
    if (rules.size() != 2) {
      return new Unrecognised("chain " + PlainrouteTable.CHAIN + " has " + rules.size() + " rules, not 2");
    }
    List<IpPrefix> ranges = new ArrayList<>();
    String problem = ranges(sets.get(0), "ipv4_addr", ranges);
    problem = problem != null ? problem : ranges(sets.get(1), "ipv6_addr", ranges);
    if (problem != null) {
      return new Unrecognised(problem);
    }
    String bridge = rules.get(0).path("expr").path(BRIDGE_MATCH).path("match").path("right").asText();
    if (!isRule(rules.get(0), RULE_EXPRESSIONS_IPV4, bridge) || !isRule(rules.get(1), RULE_EXPRESSIONS_IPV6, bridge)) {
      return new Unrecognised("the rules are not the masquerade rules plainroute writes: " + rules.get(0).path("expr")
          + ", " + rules.get(1).path("expr"));
    }
    try {
      return new Installed(new MasqueradeRuleset(ranges, bridge));
    } catch (IllegalArgumentException e) {
      return new Unrecognised(e.getMessage());
    }
  }

  /** Adds the set's prefixes to {@code ranges}; a sentence saying what is wrong with it, else null. */
  private static String ranges(JsonNode set, String type, List<IpPrefix> ranges) {
    String name = set.path("name").asText();
    if (!type.equals(set.path("type").asText()) || !set.path("flags").equals(INTERVAL_FLAGS)) {
      return "set " + name + " is not an interval set of type " + type;
    }
    for (JsonNode element : set.path("elem")) {
      IpPrefix range = prefix(element);
      if (range == null) {
        return "set " + name + " holds " + element + ", which is not a prefix";
      }
      ranges.add(range);
    }
    return null;
  }

  private static boolean isRule(JsonNode rule, JsonNode expressions, String bridge) {
    JsonNode expected = expressions.deepCopy();
    ((ObjectNode) expected.get(BRIDGE_MATCH).get("match")).put("right", bridge);
    return rule.path("expr").equals(expected) && PlainrouteTable.COMMENT.equals(rule.path("comment").asText(null));
  }

  private static boolean chainIsOurs(JsonNode chain) {
    return PlainrouteTable.CHAIN.equals(chain.path("name").asText())
        && "nat".equals(chain.path("type").asText())
        && "postrouting".equals(chain.path("hook").asText())
        && chain.path("prio").isInt() && chain.path("prio").asInt() == SRCNAT
        && "accept".equals(chain.path("policy").asText());
  }

  /** An element as listed: {@code "10.1.2.3"} for a single address, else {@code {"prefix": {addr, len}}}. */
  private static IpPrefix prefix(JsonNode element) {
    try {
      if (element.isTextual()) {
        return IpPrefix.host(IpPrefix.parseAddress(element.asText()));
      }
      JsonNode prefix = element.path("prefix");
      if (prefix.path("addr").isTextual() && prefix.path("len").isInt()) {
        return IpPrefix.of(IpPrefix.parseAddress(prefix.get("addr").asText()), prefix.get("len").asInt());
      }
    } catch (IllegalArgumentException e) {
      // Not an address we would have written: unrecognised, like any other shape.
    }
    return null;
  }

  private static JsonNode objects(String json) throws NftablesException {
    try {
      JsonNode objects = JSON.readTree(json).path("nftables");
      if (!objects.isArray()) {
        throw new NftablesException("libnftables listed no \"nftables\" array: " + json);
      }
      return objects;
    } catch (JsonProcessingException e) {
      throw new NftablesException("libnftables listed JSON that does not parse (" + e.getOriginalMessage() + "): " + json);
    }
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a constant is not JSON", e);
    }
  }
}
