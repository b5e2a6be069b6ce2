package io.troupe.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CoapKeysTest {

  @TempDir Path home;

  @Test
  void openOrCreate_writesAnOwnerOnlyMasterKeyOnce() throws Exception {
    final String first = CoapKeys.openOrCreate(home).keyOf("alice");
    final Path file = CoapKeys.masterKeyFile(home);
    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(CoapKeys.openOrCreate(home).keyOf("alice")).isEqualTo(first);
    assertThat(CoapKeys.read(home).keyOf("alice")).isEqualTo(first);
  }

  @Test
  void keyOf_isPerIdentityAndPerMasterKey() {
    final byte[] master = new byte[32];
    final CoapKeys keys = CoapKeys.of(master);
    assertThat(keys.keyOf("alice")).hasSize(43).isNotEqualTo(keys.keyOf("bob"));
    final byte[] other = Arrays.copyOf(master, 32);
    other[0] = 1;
    assertThat(CoapKeys.of(other).keyOf("alice")).isNotEqualTo(keys.keyOf("alice"));
    assertThat(keys.pskOf("alice")).isEqualTo(keys.keyOf("alice").getBytes());
  }

  @Test
  void keyOf_generationZero_isTheKeyOfEveryIdentityNeverReset() throws Exception {
    final CoapKeys keys = CoapKeys.of(new byte[32]);
    final javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(new byte[32], "HmacSHA256"));
    final String today =
        java.util.Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(mac.doFinal("alice".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

    assertThat(keys.keyOf("alice", 0)).isEqualTo(today).isEqualTo(keys.keyOf("alice"));
  }

  @Test
  void keyOf_eachGeneration_isAnotherKey() {
    final CoapKeys keys = CoapKeys.of(new byte[32]);
    assertThat(keys.keyOf("alice", 1))
        .hasSize(43)
        .isNotEqualTo(keys.keyOf("alice", 0))
        .isNotEqualTo(keys.keyOf("alice", 2))
        .isEqualTo(keys.keyOf("alice", 1));
    assertThat(keys.pskOf("alice", 2)).isEqualTo(keys.keyOf("alice", 2).getBytes());
    assertThatThrownBy(() -> keys.keyOf("alice", -1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-1");
  }

  @Test
  void of_wrongLength_isRefused() {
    assertThatThrownBy(() -> CoapKeys.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
