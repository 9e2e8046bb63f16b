package io.plainroute.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.plainroute.netlink.Ipv4Prefix;
import io.plainroute.netns.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays the container runtime for tests: attaches a "pod" (a network namespace) to a network by
 * executing a CNI network configuration list the way a runtime does (CNI spec 1.0): ADD runs the
 * plugins in order, each getting its own config plus the list's {@code name} and {@code
 * cniVersion}, the previous plugin's result as {@code prevResult}, and the capability arguments it
 * declares as {@code runtimeConfig}; DEL runs them in reverse order with the ADD's result.
 *
 * <p>The plugins run with the "node" namespace as their current one ({@code ip netns exec}), as
 * they would on a real node, where they create the bridge and the host end of each veth.
 *
 * <p>One liberty: when given an IPAM data directory, it sets {@code ipam.dataDir} of host-local
 * in the copy each plugin reads, so that tests keep no state in {@code /var/lib/cni} and several
 * emulated nodes on one machine do not share it.
 */
public final class CniRuntime {
  /** Where the Debian package containernetworking-plugins installs the reference plugins. */
  public static final Path REFERENCE_PLUGINS = Path.of("/usr/lib/cni");

  private static final Duration PLUGIN_TIMEOUT = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path pluginDirectory;
  private final Optional<Path> ipamDataDirectory;
  // What the runtime remembers of each attachment: DEL hands it back to the plugins.
  private final Map<Attachment, Added> attachments = new ConcurrentHashMap<>();

  /**
   * A runtime that finds plugins in {@code pluginDirectory} (its {@code CNI_PATH}) and, when
   * {@code ipamDataDirectory} is given, keeps host-local's allocations there.
   */
  public CniRuntime(Path pluginDirectory, Optional<Path> ipamDataDirectory) {
    this.pluginDirectory = pluginDirectory;
    this.ipamDataDirectory = ipamDataDirectory;
  }

  /** ADD without capability arguments (no port mappings): {@code CNI_CONTAINERID} is the pod's namespace name. */
  public Result add(Path conflist, String nodeNamespace, String podNamespace, String ifname)
      throws IOException, InterruptedException {
    return add(conflist, nodeNamespace, podNamespace, ifname, Map.of());
  }

  /**
   * ADD: attaches interface {@code ifname} of the pod namespace. When a plugin fails, the
   * attachment is deleted again (as runtimes do) and the failure is thrown.
   *
   * @param capabilityArgs e.g. {@code portMappings}; a plugin gets those it declares in its
   *     {@code capabilities}
   * @return the result of the last plugin
   */
  public Result add(Path conflist, String nodeNamespace, String podNamespace, String ifname,
      Map<String, JsonNode> capabilityArgs) throws IOException, InterruptedException {
    JsonNode list = readConflist(conflist);
    Attachment attachment = new Attachment(podNamespace, ifname);
    JsonNode result = null;
    try {
      for (JsonNode plugin : list.get("plugins")) {
        ObjectNode stdin = pluginConfig(list, plugin, result, capabilityArgs, ipamDataDirectory);
        result = execute("ADD", plugin.get("type").asText(), stdin, nodeNamespace, attachment);
      }
    } catch (IOException | RuntimeException e) {
      try {
        delete(list, nodeNamespace, attachment, null, capabilityArgs);
      } catch (IOException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
      }
      throw e;
    }
    attachments.put(attachment, new Added(result, capabilityArgs));
    return new Result(result);
  }

  /** DEL: detaches the interface and releases its address; succeeds also when nothing is attached. */
  public void del(Path conflist, String nodeNamespace, String podNamespace, String ifname)
      throws IOException, InterruptedException {
    Attachment attachment = new Attachment(podNamespace, ifname);
    Added added = attachments.get(attachment);
    delete(readConflist(conflist), nodeNamespace, attachment,
        added == null ? null : added.result(), added == null ? Map.of() : added.capabilityArgs());
    attachments.remove(attachment);
  }

  private void delete(JsonNode list, String nodeNamespace, Attachment attachment, JsonNode prevResult,
      Map<String, JsonNode> capabilityArgs) throws IOException, InterruptedException {
    List<JsonNode> plugins = new ArrayList<>();
    list.get("plugins").forEach(plugins::add);
    for (int i = plugins.size() - 1; i >= 0; i--) {
      JsonNode plugin = plugins.get(i);
      ObjectNode stdin = pluginConfig(list, plugin, prevResult, capabilityArgs, ipamDataDirectory);
      execute("DEL", plugin.get("type").asText(), stdin, nodeNamespace, attachment);
    }
  }

  /**
   * What one plugin reads on stdin: its own config, the list's name and cniVersion, the previous
   * result and the capability arguments it asked for.
   */
  static ObjectNode pluginConfig(JsonNode list, JsonNode plugin, JsonNode prevResult,
      Map<String, JsonNode> capabilityArgs, Optional<Path> ipamDataDirectory) {
    ObjectNode config = plugin.deepCopy();
    config.set("name", list.get("name"));
    config.set("cniVersion", list.get("cniVersion"));
    if (prevResult != null) {
      config.set("prevResult", prevResult);
    }
    ObjectNode runtimeConfig = JSON.createObjectNode();
    capabilityArgs.forEach((capability, value) -> {
      if (plugin.path("capabilities").path(capability).asBoolean(false)) {
        runtimeConfig.set(capability, value);
      }
    });
    if (!runtimeConfig.isEmpty()) {
      config.set("runtimeConfig", runtimeConfig);
    }
    if (ipamDataDirectory.isPresent() && config.get("ipam") instanceof ObjectNode ipam
        && ipam.path("type").asText().equals("host-local")) {
      ipam.put("dataDir", ipamDataDirectory.get().toString());
    }
    return config;
  }

  private JsonNode execute(String command, String type, ObjectNode stdin, String nodeNamespace, Attachment attachment)
      throws IOException {
    Command.Result result = Command.of("ip", "netns", "exec", nodeNamespace, pluginDirectory.resolve(type).toString())
        .env("CNI_COMMAND", command)
        .env("CNI_CONTAINERID", attachment.containerId())
        .env("CNI_NETNS", NetworkNamespace.named(attachment.podNamespace()).path().orElseThrow().toString())
        .env("CNI_IFNAME", attachment.ifname())
        .env("CNI_PATH", pluginDirectory.toString())
        .input(JSON.writeValueAsString(stdin))
        .timeout(PLUGIN_TIMEOUT)
        .run();
    if (!result.ok()) {
      // A failing plugin prints {"code": .., "msg": .., "details": ..} on stdout.
      throw new IOException(type + " " + command + " for " + attachment + " failed with exit status "
          + result.exitCode() + ": " + result.stdout().strip() + " " + result.stderr().strip() + "\nstdin: " + stdin);
    }
    return command.equals("ADD") ? JSON.readTree(result.stdout()) : null;
  }

  private static JsonNode readConflist(Path conflist) throws IOException {
    JsonNode list = JSON.readTree(conflist.toFile());
    if (!list.path("name").isTextual() || !list.path("cniVersion").isTextual() || !list.path("plugins").isArray()
        || list.get("plugins").isEmpty()) {
      throw new IOException(conflist + " is not a CNI network configuration list (name, cniVersion, plugins)");
    }
    return list;
  }

  /** One interface of one pod. */
  private record Attachment(String podNamespace, String ifname) {
    /** Each pod has a namespace of its own, so its name serves as the container ID. */
    String containerId() {
      return podNamespace;
    }
  }

  private record Added(JsonNode result, Map<String, JsonNode> capabilityArgs) {
  }

  /**
   * The result of an ADD (CNI spec 1.0 "Success" result).
   *
   * @param json the result as the last plugin printed it
   */
  public record Result(JsonNode json) {

    /** The IPv4 addresses the pod's interfaces got, e.g. {@code 10.244.1.2/24}. */
    public List<Ipv4Prefix> addresses() {
      List<Ipv4Prefix> addresses = new ArrayList<>();
      json.path("ips").forEach(ip -> addresses.add(Ipv4Prefix.parse(ip.get("address").asText())));
      return addresses;
    }

    /** The names of the interfaces created outside the pod (the bridge and the host end of the veth). */
    public List<String> hostInterfaces() {
      List<String> names = new ArrayList<>();
      json.path("interfaces").forEach(link -> {
        if (!link.has("sandbox")) {
          names.add(link.get("name").asText());
        }
      });
      return names;
    }
  }
}
