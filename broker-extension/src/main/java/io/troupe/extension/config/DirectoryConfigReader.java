package io.troupe.extension.config;

import static io.troupe.extension.config.ConfigReader.children;
import static io.troupe.extension.config.ConfigReader.positive;
import static io.troupe.extension.config.ConfigReader.text;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import io.troupe.extension.config.ConfigReader.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.w3c.dom.Element;

/**
 * Reads {@code <directory>}: the LDAP server whose groups communities may be formed from (R16).
 * Every value is checked here, so that a bad one stops the extension with the reason; whether the
 * server answers is not (the gateway starts while the directory is down, and retries).
 */
final class DirectoryConfigReader {

  static final String ELEMENT = "directory";

  private static final Set<String> SETTINGS =
      Set.of(
          "ldap-url",
          "bind-dn",
          "password-file",
          "identity-attribute",
          "refresh-seconds",
          "max-group-members");

  /** An attribute type's name (RFC 4512 {@code descr}) or numeric OID. */
  private static final Pattern ATTRIBUTE =
      Pattern.compile("[A-Za-z][A-Za-z0-9-]{0,63}|[0-9]+(\\.[0-9]+)+");

  private DirectoryConfigReader() {}

  static DirectoryConfig read(final Element directory, final Path extensionHome, final Path file) {
    String url = null;
    Optional<String> bindDn = Optional.empty();
    Optional<Path> passwordFile = Optional.empty();
    String attribute = DirectoryConfig.DEFAULT_IDENTITY_ATTRIBUTE;
    Duration refresh = DirectoryConfig.DEFAULT_REFRESH;
    int maxMembers = DirectoryConfig.DEFAULT_MAX_GROUP_MEMBERS;
    for (final Element e : children(directory, SETTINGS, file)) {
      switch (e.getTagName()) {
        case "ldap-url" -> url = ldapUrl(text(e, file), file);
        case "bind-dn" -> bindDn = Optional.of(dn(text(e, file), file));
        case "password-file" -> passwordFile = Optional.of(password(e, extensionHome, file));
        case "identity-attribute" -> attribute = attribute(text(e, file), file);
        case "refresh-seconds" -> refresh = Duration.ofSeconds(positive(e, file));
        default -> maxMembers = (int) Math.min(Integer.MAX_VALUE, positive(e, file));
      }
    }
    if (url == null) {
      throw new InvalidConfigException(file + ": <directory> needs an <ldap-url>");
    }
    if (bindDn.isPresent() != passwordFile.isPresent()) {
      throw new InvalidConfigException(
          file + ": <directory> needs both <bind-dn> and <password-file>, or neither (anonymous)");
    }
    return new DirectoryConfig(url, bindDn, passwordFile, attribute, refresh, maxMembers);
  }

  private static String ldapUrl(final String value, final Path file) {
    try {
      final LDAPURL url = new LDAPURL(value);
      if (!url.hostProvided()) {
        throw new InvalidConfigException(file + ": <ldap-url> names no host: '" + value + "'");
      }
      return value;
    } catch (final LDAPException e) {
      throw new InvalidConfigException(
          file
              + ": <ldap-url> must be ldap://host:port or ldaps://host:port, got '"
              + value
              + "' ("
              + e.getMessage()
              + ")");
    }
  }

  private static String dn(final String value, final Path file) {
    if (!DN.isValidDN(value)) {
      throw new InvalidConfigException(file + ": <bind-dn> is not a valid DN: '" + value + "'");
    }
    return value;
  }

  private static String attribute(final String value, final Path file) {
    if (!ATTRIBUTE.matcher(value).matches()) {
      throw new InvalidConfigException(
          file + ": <identity-attribute> is not an attribute name: '" + value + "'");
    }
    return value;
  }

  /** The file must exist and hold a password now: a typo shows at start, not at the first read. */
  private static Path password(final Element e, final Path extensionHome, final Path file) {
    final Path p = Path.of(text(e, file));
    final Path resolved = (p.isAbsolute() ? p : extensionHome.resolve(p)).toAbsolutePath();
    try {
      if (Files.readString(resolved).strip().isEmpty()) {
        throw new InvalidConfigException(file + ": <password-file> " + resolved + " is empty");
      }
    } catch (final IOException ex) {
      throw new InvalidConfigException(
          file + ": <password-file> " + resolved + " is not readable: " + ex.getMessage());
    }
    return resolved.normalize();
  }
}
