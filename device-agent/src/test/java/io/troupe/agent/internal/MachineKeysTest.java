package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.contract.KeyAuth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MachineKeysTest {

  @TempDir Path dir;

  @Test
  void openOrCreate_makesAnOwnerOnlyKeyPairOnce_andReadsItBack() throws Exception {
    final Path file = dir.resolve("sub").resolve("machine.key");

    final KeyPair made = MachineKeys.openOrCreate(file);
    final KeyPair again = MachineKeys.openOrCreate(file);

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertThat(again.getPublic().getEncoded()).isEqualTo(made.getPublic().getEncoded());
    final byte[] challenge = {1, 2, 3};
    assertThat(
            KeyAuth.signatureMatches(
                made.getPublic().getEncoded(),
                challenge,
                KeyAuth.sign(again.getPrivate(), challenge)))
        .isTrue();
  }

  @Test
  void openOrCreate_aFileWithoutAKeyPair_isRefusedNamingIt() throws Exception {
    final Path file = dir.resolve("machine.key");
    Files.writeString(file, "not a key\n");

    assertThatThrownBy(() -> MachineKeys.openOrCreate(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(file.toString());
  }
}
