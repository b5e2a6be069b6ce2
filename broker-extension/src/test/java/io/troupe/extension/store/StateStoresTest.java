package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.extension.config.TroupeConfig;
import io.troupe.proto.v1.GatewayState;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the embedded store: the data folder, its files, and the state file of old versions. */
class StateStoresTest {

  @TempDir Path home;

  private Path data() {
    return home.resolve("data");
  }

  private SqlStateStore open() throws IOException {
    return StateStores.open(
        new TroupeConfig(
            RouterConfig.defaults(),
            data(),
            io.troupe.router.LoginConfig.defaults(),
            Optional.empty()),
        getClass().getClassLoader());
  }

  @Test
  void dataFolderAndDatabaseFiles_areTheirOwnersOnly() throws IOException {
    try (SqlStateStore store = open()) {
      store.write(StateStoreContract.base());
      assertThat(mode(data())).isEqualTo("rwx------");
      try (Stream<Path> files = Files.list(data())) {
        assertThat(files.filter(f -> f.getFileName().toString().startsWith(Database.SQLITE_FILE)))
            .extracting(StateStoresTest::mode)
            .hasSizeGreaterThanOrEqualTo(2)
            .containsOnly("rw-------");
      }
    }
  }

  @Test
  void legacyStateFile_isImportedThenSetAside() throws IOException {
    Files.createDirectories(data());
    final GatewayState legacy = StateStoreContract.baseState();
    Files.write(data().resolve(LegacyStateFile.FILE), legacy.toByteArray());

    try (SqlStateStore store = open()) {
      assertThat(store.load().map(StateStoreContract::sorted))
          .contains(StateStoreContract.sorted(legacy));
    }
    assertThat(data().resolve(LegacyStateFile.FILE)).doesNotExist();
    assertThat(data().resolve(LegacyStateFile.MIGRATED)).hasBinaryContent(legacy.toByteArray());
  }

  @Test
  void legacyStateFile_besideAFilledStore_isSetAsideWithoutImport() throws IOException {
    try (SqlStateStore store = open()) {
      store.write(StateChange.builder().putIdentity(StateStoreContract.identity("zed", 1)).build());
    }
    Files.write(data().resolve(LegacyStateFile.FILE), StateStoreContract.baseState().toByteArray());

    try (SqlStateStore store = open()) {
      assertThat(store.load().orElseThrow().getIdentitiesList()).hasSize(1);
    }
    assertThat(data().resolve(LegacyStateFile.FILE)).doesNotExist();
    assertThat(data().resolve(LegacyStateFile.MIGRATED)).exists();
  }

  @Test
  void corruptLegacyStateFile_stopsTheOpeningAndStaysPut() throws IOException {
    Files.createDirectories(data());
    Files.write(data().resolve(LegacyStateFile.FILE), new byte[] {(byte) 0xff, (byte) 0xff, 1});

    assertThatThrownBy(this::open)
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining(LegacyStateFile.FILE);
    assertThat(data().resolve(LegacyStateFile.FILE)).exists();
  }

  @Test
  void leftoverTemporaryFile_isDeleted() throws IOException {
    Files.createDirectories(data());
    Files.write(data().resolve(LegacyStateFile.TEMPORARY), new byte[] {1, 2, 3});

    try (SqlStateStore store = open()) {
      assertThat(store.load()).isEmpty();
    }
    assertThat(data().resolve(LegacyStateFile.TEMPORARY)).doesNotExist();
  }

  private static String mode(final Path path) {
    try {
      return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    } catch (final IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
