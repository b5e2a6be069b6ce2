package io.troupe.extension.store;

import io.troupe.extension.config.DatabaseConfig;
import io.troupe.extension.config.TroupeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jetbrains.annotations.NotNull;

/** Opens the store the configuration asks for, ready for the router. */
public final class StateStores {

  private StateStores() {}

  /**
   * Prepares the data folder (owner-only), opens SQLite there or the configured PostgreSQL
   * database, migrates its schema, and imports a state file left by an earlier version.
   *
   * @param classLoader the extension's class loader, which sees the migrations and the drivers
   * @throws IOException when the data folder or the password file cannot be used
   * @throws io.troupe.router.StateStore.StateStoreException when the database cannot be opened,
   *     migrated or written
   */
  public static @NotNull SqlStateStore open(
      final @NotNull TroupeConfig config, final @NotNull ClassLoader classLoader)
      throws IOException {
    final Path data = config.dataFolder();
    DataFolder.prepare(data);
    final Database database;
    if (config.database().isPresent()) {
      database = postgresql(config.database().get());
    } else {
      DataFolder.protectSqliteFiles(data);
      database = Database.sqlite(data);
    }
    final SqlStateStore store = SqlStateStore.open(database, classLoader);
    try {
      LegacyStateFile.importInto(store, data);
      if (database.vendor() == Database.Vendor.SQLITE) {
        DataFolder.protectSqliteFiles(data);
      }
      return store;
    } catch (final IOException | RuntimeException e) {
      store.close();
      throw e;
    }
  }

  private static Database postgresql(final DatabaseConfig config) throws IOException {
    String password = null;
    if (config.passwordFile().isPresent()) {
      final List<String> lines =
          Files.readAllLines(config.passwordFile().get(), StandardCharsets.UTF_8);
      password = lines.isEmpty() ? "" : lines.get(0);
    }
    return Database.postgresql(config.jdbcUrl(), config.user().orElse(null), password);
  }
}
