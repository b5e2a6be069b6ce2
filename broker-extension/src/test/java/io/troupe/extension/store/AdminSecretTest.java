package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminSecretTest {

  @TempDir Path data;

  @Test
  void adminSecret_isReadableByItsOwnerOnly() throws IOException {
    final Path file = AdminSecret.write(data, "pw");
    assertThat(Files.readString(file)).isEqualTo("pw\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
