package io.troupe.extension.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A shared PostgreSQL database for the state, from {@code <store>} in {@code conf/config.xml}.
 * Absent, the state lives in SQLite in the data folder.
 *
 * @param jdbcUrl a {@code jdbc:postgresql:} URL
 * @param user the database user, if the URL does not name one
 * @param passwordFile a file whose first line is the password (kept out of config.xml)
 */
public record DatabaseConfig(String jdbcUrl, Optional<String> user, Optional<Path> passwordFile) {

  public DatabaseConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(passwordFile, "passwordFile");
  }
}
