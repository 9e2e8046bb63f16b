package io.plainroute.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;

/**
 * {@link Ipv4Prefix#parse} and {@link Ipv4Prefix#parseAddress} on any text: a value, or an
 * {@link IllegalArgumentException} that quotes the input; and what parses prints back as text
 * that parses to the same value.
 */
class Ipv4PrefixFuzzTest {

  @FuzzTest
  void anyTextParsesOrIsRefusedWithIllegalArgument(@NotNull String text) {
    try {
      Ipv4Prefix prefix = Ipv4Prefix.parse(text);
      assertThat(Ipv4Prefix.parse(prefix.toString())).isEqualTo(prefix);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains(text);
    }
    try {
      Ipv4Prefix.parseAddress(text);
    } catch (IllegalArgumentException refused) {
      assertThat(refused.getMessage()).contains(text);
    }
  }
}
