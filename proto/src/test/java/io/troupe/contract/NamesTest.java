package io.troupe.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The label and address syntax, checked against the DNS label rule written as a regex. */
class NamesTest {

  private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
  private static final Pattern ADDRESS = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

  private static final String SIXTY_THREE = "a".repeat(63);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "a",
        "0",
        "-",
        "a-",
        "-a",
        "a-b",
        "a--b",
        "ab",
        "A",
        "aB",
        "a_b",
        "a.b",
        "a b",
        "é",
        "dev1",
        "abc1",
        "x-9-y",
        "a/b",
        "a+",
        "#",
        "\u0000",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
      })
  void isLabel_anyName_agreesWithTheRule(final String name) {
    assertThat(Names.isLabel(name)).isEqualTo(LABEL.matcher(name).matches());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".",
        "a.",
        ".a",
        "a..b",
        "echo.demo",
        "abc1.weather.mobile.net",
        "Echo.demo",
        "a-.b",
        "a.-b",
        "a.b-c.d",
        "a b.c",
        "echo.demo/x",
        "a.b.c.d.e.f",
        "0.0"
      })
  void isAddress_anyAddress_agreesWithTheRule(final String address) {
    assertThat(Names.isAddress(address)).isEqualTo(ADDRESS.matcher(address).matches());
  }

  @ParameterizedTest
  @ValueSource(ints = {62, 63, 64, 200, 253, 254})
  void lengthLimits_labelAndAddress_holdAtTheirEdges(final int length) {
    assertThat(Names.isLabel("a".repeat(length))).isEqualTo(length <= 63);
    final StringBuilder address = new StringBuilder(SIXTY_THREE);
    while (address.length() < length) {
      address.append(address.length() % 64 == 63 ? '.' : 'a');
    }
    final String a = address.substring(0, length);
    assertThat(Names.isAddress(a))
        .isEqualTo(length <= 253 && !a.endsWith(".") && ADDRESS.matcher(a).matches());
  }

  @Test
  void isLabel_null_isNoLabel() {
    assertThat(Names.isLabel(null)).isFalse();
    assertThat(Names.isAddress(null)).isFalse();
  }
}
