package io.plainroute.nftables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.plainroute.netlink.Ipv4Prefix;

/** Only checked ranges and harmless interface names ever reach nft's parser. */
class MasqueradeRulesetTest {
  private static final List<String> CLUSTER = List.of("10.244.0.0/16");

  @ParameterizedTest
  @ValueSource(strings = {"cni0", "plainroute0", "br-0a1b2c3d4e5f", "eth0.100", "a_b", "X", "123456789012345"})
  void linuxInterfaceNamesAreAccepted(String name) {
    assertThat(MasqueradeRuleset.of(CLUSTER, name).bridgeName()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "cni0\" accept",           // closes the string and adds a verdict
      "cni0\"; flush ruleset",   // closes the string and adds a command
      "cni0\\",                  // escapes the closing quote
      "cni*",                    // nft's wildcard: would match every cni interface
      "cni 0", "cni0\n", "\tcni0", "cni0;", "{cni0}", "cni0#", "$cni", "@cni0", "cni/0", "cni:0", "cnï0",
      "-cni0", ".", "..", "_cni0", "1234567890123456"})
  void namesThatAreNotPlainInterfaceNamesAreRefused(String name) {
    assertThatThrownBy(() -> MasqueradeRuleset.of(CLUSTER, name))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not a bridge name plainroute accepts")
        .hasMessageContaining("1 to 15 letters, digits");
  }

  @Test
  void aBridgeNameIsRequired() {
    assertThatThrownBy(() -> MasqueradeRuleset.of(CLUSTER, "")).hasMessage("the bridge name is required");
    assertThatThrownBy(() -> MasqueradeRuleset.of(CLUSTER, null)).hasMessage("the bridge name is required");
  }

  @Test
  void rangesAreSortedSoTheOrderGivenDoesNotMatter() {
    MasqueradeRuleset one = MasqueradeRuleset.of(List.of("10.244.0.0/16", "10.96.0.0/12", "10.245.0.0/16"), "cni0");
    MasqueradeRuleset other = MasqueradeRuleset.of(List.of("10.245.0.0/16", "10.244.0.0/16", "10.96.0.0/12"), "cni0");

    assertThat(one).isEqualTo(other);
    assertThat(one.clusterRanges()).extracting(Object::toString)
        .containsExactly("10.96.0.0/12", "10.244.0.0/16", "10.245.0.0/16");
  }

  @Test
  void adjacentRangesAndSingleAddressesAreFine() {
    assertThat(MasqueradeRuleset.of(List.of("10.244.0.0/16", "10.245.0.0/16", "10.246.0.7/32"), "cni0")
        .clusterRanges()).hasSize(3);
  }

  @Test
  void atLeastOneRangeIsRequired() {
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of(), "cni0"))
        .hasMessage("at least one cluster range is required");
    assertThatThrownBy(() -> new MasqueradeRuleset(null, "cni0"))
        .hasMessage("at least one cluster range is required");
    assertThatThrownBy(() -> new MasqueradeRuleset(Arrays.asList(Ipv4Prefix.parse("10.244.0.0/16"), null), "cni0"))
        .hasMessage("a cluster range is missing (null)");
  }

  @Test
  void aRangeWithHostBitsIsRefusedWithTheRangeItMeant() {
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("10.244.1.0/16"), "cni0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("cluster range 10.244.1.0/16 has host bits set: the range is 10.244.0.0/16");
  }

  @Test
  void theWholeAddressSpaceIsRefused() {
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("0.0.0.0/0"), "cni0"))
        .hasMessageContaining("is every address");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8,10.244.0.0/16", "10.244.0.0/16,10.244.0.0/16", "10.244.255.0/24,10.244.0.0/16",
      "192.168.0.0/24,10.244.0.0/16,10.244.128.0/17"})
  void overlappingRangesAreRefused(String ranges) {
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of(ranges.split(",")), "cni0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageMatching("cluster ranges \\S+ and \\S+ overlap");
  }

  @Test
  void unparsableRangesAreRefused() {
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("10.244.0.0"), "cni0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("10.244.0.0/16; flush ruleset"), "cni0"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> MasqueradeRuleset.of(null, "cni0")).hasMessage("the cluster ranges are required");
  }

  @Test
  void rangesOverlapOnlyWithinAFamily() {
    MasqueradeRuleset dual = MasqueradeRuleset.of(List.of("fd00:10:244::/48", "10.244.0.0/16", "fd00:10:96::/108"), "cni0");
    assertThat(dual.clusterRanges()).extracting(Object::toString)
        .containsExactly("10.244.0.0/16", "fd00:10:96::/108", "fd00:10:244::/48");
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("fd00:10:244::/48", "fd00:10:244:7::/64"), "cni0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("fd00:10:244::/48 and fd00:10:244:7::/64 overlap");
    assertThatThrownBy(() -> MasqueradeRuleset.of(List.of("fd00:10:244::1/48"), "cni0"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("host bits");
  }
}
