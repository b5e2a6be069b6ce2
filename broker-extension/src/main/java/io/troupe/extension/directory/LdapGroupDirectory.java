package io.troupe.extension.directory;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import io.troupe.extension.config.DirectoryConfig;
import io.troupe.router.GroupDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.net.SocketFactory;

/**
 * Groups in an LDAP directory, read with the UnboundID LDAP SDK. A group is named by its DN; its
 * members come from {@code memberUid} (the values are identity names) and from {@code member} and
 * {@code uniqueMember} (DNs, each mapped to the identity attribute of its entry, taken from the DN
 * itself when its RDN is that attribute). Every read opens a connection of its own, with short
 * timeouts, binds with the password read from its file, and closes it: nothing is held between
 * refreshes, so a directory that comes back is simply read at the next one.
 */
public final class LdapGroupDirectory implements GroupDirectory {

  /** How long connecting may take. */
  static final int CONNECT_TIMEOUT_MS = 3_000;

  /** How long one operation may wait for its answer. */
  static final int RESPONSE_TIMEOUT_MS = 5_000;

  /**
   * The optional unique identifier after a {@code uniqueMember} DN (RFC 4517 NameAndOptionalUID).
   */
  private static final Pattern OPTIONAL_UID = Pattern.compile("#'[01]*'B$");

  private final DirectoryConfig config;
  private final LDAPURL url;

  /**
   * @throws IllegalArgumentException if the configured URL is not an LDAP URL (the configuration
   *     reader has checked it)
   */
  public LdapGroupDirectory(final DirectoryConfig config) {
    this.config = config;
    try {
      this.url = new LDAPURL(config.ldapUrl());
    } catch (final LDAPException e) {
      throw new IllegalArgumentException("not an LDAP URL: " + config.ldapUrl(), e);
    }
  }

  @Override
  public Set<String> members(final String group, final int atMost) throws DirectoryException {
    if (!DN.isValidDN(group)) {
      throw new DirectoryException("'" + group + "' is not a DN", true, null);
    }
    try (LDAPConnection connection = connect()) {
      final SearchResultEntry entry =
          connection.getEntry(group, "memberUid", "member", "uniqueMember");
      if (entry == null) {
        throw new DirectoryException("no group " + group + " in the directory", true, null);
      }
      final Set<String> names = new LinkedHashSet<>();
      for (final String uid : values(entry, "memberUid")) {
        if (!add(names, uid, atMost)) {
          return names;
        }
      }
      for (final String attribute : new String[] {"member", "uniqueMember"}) {
        for (final String dn : values(entry, attribute)) {
          final Optional<String> name =
              identityOf(connection, OPTIONAL_UID.matcher(dn).replaceFirst(""));
          if (name.isPresent() && !add(names, name.get(), atMost)) {
            return names;
          }
        }
      }
      return names;
    } catch (final LDAPException e) {
      throw new DirectoryException(
          url.getHost() + ":" + url.getPort() + ": " + e.getMessage(), reached(e), e);
    }
  }

  /** Adds {@code name}; false once there are more than {@code atMost}: reading stops there. */
  private static boolean add(final Set<String> names, final String name, final int atMost) {
    names.add(name);
    return names.size() <= atMost;
  }

  /**
   * The identity of the entry {@code dn}: its RDN when that is the identity attribute (an RDN's
   * value is always among the entry's values), else the attribute read from the entry; empty for a
   * DN that is malformed, names no entry or an entry without the attribute.
   */
  private Optional<String> identityOf(final LDAPConnection connection, final String dn)
      throws LDAPException {
    final DN parsed;
    try {
      parsed = new DN(dn);
    } catch (final LDAPException e) {
      return Optional.empty();
    }
    final RDN rdn = parsed.getRDN();
    if (rdn != null && rdn.getAttributeNames().length == 1) {
      if (rdn.getAttributeNames()[0].equalsIgnoreCase(config.identityAttribute())) {
        return Optional.of(rdn.getAttributeValues()[0]);
      }
    }
    final SearchResultEntry entry = connection.getEntry(dn, config.identityAttribute());
    return entry == null
        ? Optional.empty()
        : Optional.ofNullable(entry.getAttributeValue(config.identityAttribute()));
  }

  private static String[] values(final SearchResultEntry entry, final String attribute) {
    final Attribute a = entry.getAttribute(attribute);
    return a == null ? new String[0] : a.getValues();
  }

  /** A connection bound as configured, with the timeouts above. */
  private LDAPConnection connect() throws LDAPException, DirectoryException {
    final LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis(CONNECT_TIMEOUT_MS);
    options.setResponseTimeoutMillis(RESPONSE_TIMEOUT_MS);
    options.setAbandonOnTimeout(true);
    SocketFactory sockets = null;
    if (url.getScheme().equalsIgnoreCase("ldaps")) {
      options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
      try {
        sockets = new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory();
      } catch (final GeneralSecurityException e) {
        throw new DirectoryException("cannot set up TLS: " + e.getMessage(), false, e);
      }
    }
    final LDAPConnection connection =
        new LDAPConnection(sockets, options, url.getHost(), url.getPort());
    if (config.bindDn().isPresent()) {
      try {
        connection.bind(config.bindDn().get(), password());
      } catch (final LDAPException | DirectoryException e) {
        connection.close();
        throw e;
      }
    }
    return connection;
  }

  /** Read at every connection, so that a changed password file takes effect at the next read. */
  private String password() throws DirectoryException {
    try {
      return Files.readString(config.passwordFile().orElseThrow()).strip();
    } catch (final IOException e) {
      throw new DirectoryException(
          "cannot read the password file " + config.passwordFile().get(), false, e);
    }
  }

  /** Whether the directory answered (the group is wrong), rather than being unreachable. */
  private static boolean reached(final LDAPException e) {
    final ResultCode code = e.getResultCode();
    return code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.INVALID_DN_SYNTAX;
  }
}
