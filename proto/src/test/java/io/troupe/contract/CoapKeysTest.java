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
  void of_wrongLength_isRefused() {
    assertThatThrownBy(() -> CoapKeys.of(new byte[16]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes");
  }
}
