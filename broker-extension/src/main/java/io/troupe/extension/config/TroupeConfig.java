package io.troupe.extension.config;

import io.troupe.coap.CoapBridgeConfig;
import io.troupe.router.LoginConfig;
import io.troupe.router.RouterConfig;
import io.troupe.router.SyncLimits;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The extension's configuration, read once from {@code conf/config.xml} in the extension folder.
 *
 * @param router the routing settings
 * @param dataFolder where the state store and the generated admin secret live (absolute)
 * @param logins how logins are checked
 * @param database a shared database for the state instead of SQLite in the data folder
 * @param coap where the CoAP bridge listens
 * @param sync how the servers of synchronised services are kept in step (R4)
 * @param directory the directory whose groups communities may be formed from (R16); empty: none
 */
public record TroupeConfig(
    RouterConfig router,
    Path dataFolder,
    LoginConfig logins,
    Optional<DatabaseConfig> database,
    CoapBridgeConfig coap,
    SyncLimits sync,
    Optional<DirectoryConfig> directory) {

  public TroupeConfig {
    Objects.requireNonNull(sync, "sync");
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(logins, "logins");
    Objects.requireNonNull(dataFolder, "dataFolder");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(coap, "coap");
  }

  /** With the default {@link SyncLimits} and no directory. */
  public TroupeConfig(
      final RouterConfig router,
      final Path dataFolder,
      final LoginConfig logins,
      final Optional<DatabaseConfig> database,
      final CoapBridgeConfig coap) {
    this(router, dataFolder, logins, database, coap, SyncLimits.defaults(), Optional.empty());
  }

  /** The same with {@code coap} instead. */
  public TroupeConfig withCoap(final CoapBridgeConfig coap) {
    return new TroupeConfig(router, dataFolder, logins, database, coap, sync, directory);
  }

  /** The same with {@code directory} instead. */
  public TroupeConfig withDirectory(final Optional<DirectoryConfig> directory) {
    return new TroupeConfig(router, dataFolder, logins, database, coap, sync, directory);
  }

  /** With the CoAP bridge's defaults. */
  public TroupeConfig(
      final RouterConfig router,
      final Path dataFolder,
      final LoginConfig logins,
      final Optional<DatabaseConfig> database) {
    this(router, dataFolder, logins, database, CoapBridgeConfig.defaults());
  }
}
