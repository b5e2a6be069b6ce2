package io.troupe.router.internal.login;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

  /** With a leading '-' once in 64, 10,000 passwords of the old generator all pass by 1e-68. */
  private static final int SAMPLES = 10_000;

  @Test
  void newPassword_neverBeginsWithADash_soThatNoToolReadsItAsAnOption() {
    final Set<Character> firsts = new HashSet<>();
    for (int i = 0; i < SAMPLES; i++) {
      final String password = PasswordHasher.newPassword();
      assertThat(password).hasSize(24).matches("[A-Za-z0-9][A-Za-z0-9_-]{23}");
      firsts.add(password.charAt(0));
    }
    // the first character still ranges over all 62 letters and digits: its entropy is kept
    assertThat(firsts).hasSize(62);
  }

  @Test
  void newPassword_usesEveryUrlSafeCharacterAfterTheFirst() {
    final Set<Character> rest = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      for (final char c : PasswordHasher.newPassword().substring(1).toCharArray()) {
        rest.add(c);
      }
    }
    assertThat(rest).hasSize(64);
  }

  @Test
  void newPassword_alwaysHasTheShapeOfAGeneratedSecret_soItGetsTheFastHash() {
    // one random draw in about a hundred fails the shape: 20,000 draws would meet ~200 of them
    for (int i = 0; i < 20_000; i++) {
      final String p = PasswordHasher.newPassword();
      assertThat(
              GeneratedSecrets.looksGenerated(
                  p.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
          .as(p)
          .isTrue();
    }
  }
}
