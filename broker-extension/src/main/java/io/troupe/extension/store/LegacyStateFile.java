package io.troupe.extension.store;

import io.troupe.proto.v1.GatewayState;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore;
import io.troupe.router.StateStore.StateStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store of earlier versions: the whole state as one protobuf file, {@code gateway-state.pb},
 * replaced through {@code gateway-state.pb.tmp}. Read once, imported into an empty store, then set
 * aside as {@code gateway-state.pb.migrated}.
 */
public final class LegacyStateFile {

  public static final String FILE = "gateway-state.pb";
  public static final String TEMPORARY = FILE + ".tmp";
  public static final String MIGRATED = FILE + ".migrated";

  private static final Logger log = LoggerFactory.getLogger(LegacyStateFile.class);

  private LegacyStateFile() {}

  /**
   * Deletes a leftover {@link #TEMPORARY} (a save the old store never finished) and, when {@link
   * #FILE} exists, imports it into {@code store} in one write if the store is empty, then renames
   * it to {@link #MIGRATED}. A store that already holds state (an import that committed but crashed
   * before the rename) is left as it is.
   *
   * @throws StateStoreException when the file is corrupt or the import cannot be written; the file
   *     then stays where it is
   * @throws IOException when the files cannot be deleted or renamed
   */
  public static void importInto(final StateStore store, final Path dataFolder) throws IOException {
    final Path temporary = dataFolder.resolve(TEMPORARY);
    if (Files.deleteIfExists(temporary)) {
      log.info("deleted an unfinished save of the old state store [file: {}]", temporary);
    }
    final Path file = dataFolder.resolve(FILE);
    if (!Files.exists(file)) {
      return;
    }
    if (store.load().isEmpty()) {
      final GatewayState legacy = read(file);
      if (legacy.getPoliciesCount() > 0) {
        log.warn(
            "the old state file holds access policies, which the store does not keep yet;"
                + " they are not imported [file: {}, policies: {}]",
            file,
            legacy.getPoliciesCount());
      }
      store.write(StateChange.between(GatewayState.getDefaultInstance(), legacy));
      log.info(
          "imported the old state file [file: {}, identities: {}, communities: {}]",
          file,
          legacy.getIdentitiesCount(),
          legacy.getCommunitiesCount());
    } else {
      log.info("the state store already holds state; not importing [file: {}]", file);
    }
    Files.move(file, dataFolder.resolve(MIGRATED), StandardCopyOption.REPLACE_EXISTING);
  }

  private static GatewayState read(final Path file) {
    try {
      return GatewayState.parseFrom(Files.readAllBytes(file));
    } catch (final IOException e) {
      throw new StateStoreException(
          "cannot read the old gateway state from " + file + ": " + e.getMessage(), e);
    }
  }
}
