package io.troupe.extension.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The directory whose groups communities may be formed from (R16), from {@code <directory>} in
 * {@code conf/config.xml}.
 *
 * @param ldapUrl {@code ldap://host:port} or {@code ldaps://host:port}
 * @param bindDn the DN to bind as; empty binds anonymously
 * @param passwordFile the file holding the bind password (never the command line); present exactly
 *     when {@code bindDn} is
 * @param identityAttribute the attribute of a member's entry that names its identity, such as
 *     {@code uid}
 * @param refresh how often every grouped community's group is read again
 * @param maxGroupMembers a group with more members is refused at its refresh (members unchanged)
 */
public record DirectoryConfig(
    String ldapUrl,
    Optional<String> bindDn,
    Optional<Path> passwordFile,
    String identityAttribute,
    Duration refresh,
    int maxGroupMembers) {

  /** {@code <identity-attribute>} when unset. */
  public static final String DEFAULT_IDENTITY_ATTRIBUTE = "uid";

  /** {@code <refresh-seconds>} when unset. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(60);

  /** {@code <max-group-members>} when unset. */
  public static final int DEFAULT_MAX_GROUP_MEMBERS = 10_000;

  public DirectoryConfig {
    Objects.requireNonNull(ldapUrl, "ldapUrl");
    Objects.requireNonNull(bindDn, "bindDn");
    Objects.requireNonNull(passwordFile, "passwordFile");
    Objects.requireNonNull(identityAttribute, "identityAttribute");
    Objects.requireNonNull(refresh, "refresh");
    if (bindDn.isPresent() != passwordFile.isPresent()) {
      throw new IllegalArgumentException("a bind DN and a password file go together");
    }
    if (refresh.isNegative() || refresh.isZero() || maxGroupMembers <= 0) {
      throw new IllegalArgumentException("refresh and maxGroupMembers must be positive");
    }
  }
}
