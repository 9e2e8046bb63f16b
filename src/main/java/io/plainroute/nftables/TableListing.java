package io.plainroute.nftables;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.plainroute.netlink.Ipv4Prefix;
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
  /** The rule's expressions as libnftables lists them, with the bridge name still to be put in. */
  private static final JsonNode RULE_EXPRESSIONS = read("""
      [{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@SET"}},
       {"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "daddr"}}, "right": "@SET"}},
       {"match": {"op": "!=", "left": {"meta": {"key": "oifname"}}, "right": "BRIDGE"}},
       {"masquerade": null}]
      """.replace("SET", PlainrouteTable.SET));
  private static final int BRIDGE_MATCH = 2;
  private static final JsonNode INTERVAL_FLAGS = read("[\"interval\"]");
  /** {@code priority srcnat} in the ip family. */
  private static final int SRCNAT = 100;

  private TableListing() {
  }

  /** Whether the JSON of {@code list tables ip} names plainroute's table. */
  static boolean hasTable(String json) throws NftablesException {
    for (JsonNode object : objects(json)) {
      JsonNode table = object.path("table");
      if (PlainrouteTable.NAME.equals(table.path("name").asText(null))
          && PlainrouteTable.FAMILY.equals(table.path("family").asText(null))) {
        return true;
      }
    }
    return false;
  }

  /** The state that the JSON of {@code list table ip plainroute} shows. */
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
    if (sets.size() != 1 || !PlainrouteTable.SET.equals(sets.get(0).path("name").asText())) {
      return new Unrecognised("the table has " + sets.size() + " sets, not only " + PlainrouteTable.SET);
    }
    if (chains.size() != 1 || !chainIsOurs(chains.get(0))) {
      return new Unrecognised("the table does not have exactly one chain " + PlainrouteTable.CHAIN
          + " (type nat hook postrouting priority srcnat; policy accept)");
    }
    if (rules.size() != 1) {
      return new Unrecognised("chain " + PlainrouteTable.CHAIN + " has " + rules.size() + " rules, not 1");
    }
    return installed(sets.get(0), rules.get(0));
  }

  private static MasqueradeState installed(JsonNode set, JsonNode rule) {
    List<Ipv4Prefix> ranges = new ArrayList<>();
    if (!"ipv4_addr".equals(set.path("type").asText()) || !set.path("flags").equals(INTERVAL_FLAGS)) {
      return new Unrecognised("set " + PlainrouteTable.SET + " is not an interval set of IPv4 addresses");
    }
    for (JsonNode element : set.path("elem")) {
      Ipv4Prefix range = prefix(element);
      if (range == null) {
        return new Unrecognised("set " + PlainrouteTable.SET + " holds " + element + ", which is not a prefix");
      }
      ranges.add(range);
    }
    JsonNode expressions = rule.path("expr");
    String bridge = expressions.path(BRIDGE_MATCH).path("match").path("right").asText();
    if (!expressions.equals(ruleExpressions(bridge))
        || !PlainrouteTable.COMMENT.equals(rule.path("comment").asText(null))) {
      return new Unrecognised("the rule is not the masquerade rule plainroute writes: " + expressions);
    }
    try {
      return new Installed(new MasqueradeRuleset(ranges, bridge));
    } catch (IllegalArgumentException e) {
      return new Unrecognised(e.getMessage());
    }
  }

  private static boolean chainIsOurs(JsonNode chain) {
    return PlainrouteTable.CHAIN.equals(chain.path("name").asText())
        && "nat".equals(chain.path("type").asText())
        && "postrouting".equals(chain.path("hook").asText())
        && chain.path("prio").isInt() && chain.path("prio").asInt() == SRCNAT
        && "accept".equals(chain.path("policy").asText());
  }

  /** An element as listed: {@code "10.1.2.3"} for a /32, else {@code {"prefix": {addr, len}}}. */
  private static Ipv4Prefix prefix(JsonNode element) {
    try {
      if (element.isTextual()) {
        return new Ipv4Prefix(Ipv4Prefix.parseAddress(element.asText()), 32);
      }
      JsonNode prefix = element.path("prefix");
      if (prefix.path("addr").isTextual() && prefix.path("len").isInt()) {
        return new Ipv4Prefix(Ipv4Prefix.parseAddress(prefix.get("addr").asText()), prefix.get("len").asInt());
      }
    } catch (IllegalArgumentException e) {
      // Not an address we would have written: unrecognised, like any other shape.
    }
    return null;
  }

  private static JsonNode ruleExpressions(String bridge) {
    JsonNode expressions = RULE_EXPRESSIONS.deepCopy();
    ((ObjectNode) expressions.get(BRIDGE_MATCH).get("match")).put("right", bridge);
    return expressions;
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
