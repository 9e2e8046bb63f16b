package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/**
 * {@link IpPrefix#parse} and {@link IpPrefix#parseAddress} on any text: a value, or an
 * {@link IllegalArgumentException} that quotes the input (never a DNS lookup: the text is checked
 * for an IPv6 literal's characters first); and what parses prints back as text that parses to the
 * same value.
 */
class Ipv6PrefixFuzzTest {

  @FuzzTest
  void anyTextParsesOrIsRefusedWithIllegalArgument(@NotNull String text) {
    try {
      IpPrefix prefix = IpPrefix.parse(text);
      assertThat(IpPrefix.parse(prefix.toString())).isEqualTo(prefix);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains(text);
    }
    try {
      IpPrefix.parseAddress(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains(text);
    }
  }
}
