package io.troupe.extension.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.jetbrains.annotations.NotNull;
import org.jetbrains.annotations.Nullable;

/**
 * Where the store's tables live: a JDBC URL with its credentials, and how to reach it. Drivers are
 * instantiated directly rather than looked up through {@code DriverManager}, whose registry is
 * global to the JVM and blind to the extension's isolated class loader.
 */
public final class Database {

  /** The kinds of database the store's migrations are written for. */
  public enum Vendor {
    SQLITE,
    POSTGRESQL
  }

  /** The SQLite file's name in the data folder. */
  public static final String SQLITE_FILE = "gateway-state.db";

  /**
   * WAL with synchronous FULL: every commit is forced to the disk before it returns, so it survives
   * a kill -9 and a power loss (WAL with NORMAL survives only the first). SQLite also syncs the
   * folder when it creates the WAL. A busy timeout lets a second reader (a backup, the command
   * line) wait rather than fail. Foreign keys are off in SQLite unless asked for on each
   * connection.
   */
  private static final String SQLITE_PRAGMAS =
      "?journal_mode=WAL&synchronous=FULL&busy_timeout=5000&foreign_keys=true";

  private final Vendor vendor;
  private final String url;
  private final @Nullable String user;
  private final @Nullable String password;

  private Database(
      final Vendor vendor,
      final String url,
      final @Nullable String user,
      final @Nullable String password) {
    this.vendor = vendor;
    this.url = url;
    this.user = user;
    this.password = password;
  }

  /** The embedded database: {@link #SQLITE_FILE} in {@code dataFolder}. */
  public static @NotNull Database sqlite(final @NotNull Path dataFolder) {
    final Path file = dataFolder.resolve(SQLITE_FILE).toAbsolutePath();
    return new Database(Vendor.SQLITE, "jdbc:sqlite:" + file + SQLITE_PRAGMAS, null, null);
  }

  /**
   * A shared PostgreSQL database.
   *
   * @throws IllegalArgumentException when {@code url} is not a {@code jdbc:postgresql:} URL
   */
  public static @NotNull Database postgresql(
      final @NotNull String url, final @Nullable String user, final @Nullable String password) {
    if (!url.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + url);
    }
    return new Database(Vendor.POSTGRESQL, url, user, password);
  }

  public @NotNull Vendor vendor() {
    return vendor;
  }

  public @NotNull String url() {
    return url;
  }

  /** A new connection, in auto-commit mode. */
  Connection connect() throws SQLException {
    final Driver driver =
        vendor == Vendor.SQLITE ? new org.sqlite.JDBC() : new org.postgresql.Driver();
    final Properties properties = new Properties();
    if (user != null) {
      properties.setProperty("user", user);
    }
    if (password != null) {
      properties.setProperty("password", password);
    }
    return Objects.requireNonNull(driver.connect(url, properties), url);
  }

  /**
   * Brings the schema to the newest migration in {@code db/migration}. Flyway scans for the
   * migrations and loads the driver through {@code classLoader}: inside HiveMQ that must be the
   * extension's own loader, not the broker's.
   */
  void migrate(final ClassLoader classLoader) {
    Flyway.configure(classLoader)
        .dataSource(url, user, password)
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  /** For messages: a PostgreSQL URL's parameters are left out, since they may hold a password. */
  @Override
  public String toString() {
    final int query = url.indexOf('?');
    return vendor == Vendor.POSTGRESQL && query >= 0
        ? vendor + " " + url.substring(0, query)
        : vendor + " " + url;
  }
}
