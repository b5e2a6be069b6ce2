package io.troupe.extension.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's contract on the embedded database, SQLite in a data folder. */
class SqliteStateStoreTest extends StateStoreContract {

  @TempDir Path data;

  @Override
  protected Database database() {
    return Database.sqlite(data);
  }

  @Test
  void connections_writeAheadAndSyncEveryCommit() throws SQLException {
    SqlStateStore.open(database(), getClass().getClassLoader()).close();
    try (Connection c = database().connect();
        Statement s = c.createStatement()) {
      assertThat(pragma(s, "journal_mode")).isEqualTo("wal");
      // 2 is FULL: the WAL is forced to disk at each commit, so a power loss keeps it.
      assertThat(pragma(s, "synchronous")).isEqualTo("2");
      assertThat(pragma(s, "busy_timeout")).isEqualTo("5000");
      assertThat(pragma(s, "foreign_keys")).isEqualTo("1");
    }
  }

  private static String pragma(final Statement s, final String name) throws SQLException {
    try (ResultSet r = s.executeQuery("PRAGMA " + name)) {
      r.next();
      return r.getString(1);
    }
  }
}
