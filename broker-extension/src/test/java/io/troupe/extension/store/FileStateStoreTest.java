package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.proto.v1.CommunityRecord;
import io.troupe.proto.v1.GatewayState;
import io.troupe.router.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStateStoreTest {

  @TempDir Path data;

  @Test
  void saved_isLoadedByANewStore() {
    final GatewayState state =
        GatewayState.newBuilder()
            .setRevision(7)
            .addCommunities(CommunityRecord.newBuilder().setName("demo"))
            .build();
    new FileStateStore(data).save(state);
    assertThat(new FileStateStore(data).load()).contains(state);
  }

  @Test
  void nothingSaved_loadsEmpty() {
    assertThat(new FileStateStore(data).load()).isEmpty();
  }

  @Test
  void corruptFile_isAnErrorNamingTheFile() throws IOException {
    final FileStateStore store = new FileStateStore(data);
    Files.write(store.file(), new byte[] {(byte) 0xff, (byte) 0xff, 0x01});
    assertThatThrownBy(store::load)
        .isInstanceOf(StateStore.StateStoreException.class)
        .hasMessageContaining(store.file().toString());
  }

  @Test
  void adminSecret_isReadableByItsOwnerOnly() throws IOException {
    final Path file = AdminSecret.write(data, "pw");
    assertThat(Files.readString(file)).isEqualTo("pw\n");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }
}
