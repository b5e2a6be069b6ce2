package io.troupe.extension.directory;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import io.troupe.extension.config.DirectoryConfig;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A real LDAP server in the test JVM (UnboundID's in-memory directory) on a fixed loopback port, so
 * that it can be stopped and started again where clients look for it. People are under {@code
 * ou=people}, groups under {@code ou=groups} of {@code dc=example,dc=org}.
 */
final class TestDirectory implements AutoCloseable {

  static final String BASE = "dc=example,dc=org";
  static final String BIND_DN = "cn=gateway,dc=example,dc=org";
  static final String PASSWORD = "s3cret-for-tests";

  final InMemoryDirectoryServer server;
  final int port;

  TestDirectory() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    final InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
    config.setSchema(null); // posixGroup and friends without loading their schema
    config.addAdditionalBindCredentials(BIND_DN, PASSWORD);
    config.setListenerConfigs(
        InMemoryListenerConfig.createLDAPConfig(
            "ldap", InetAddress.getLoopbackAddress(), port, null));
    server = new InMemoryDirectoryServer(config);
    server.add("dn: " + BASE, "objectClass: domain", "dc: example");
    server.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
    server.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
    server.startListening();
  }

  /** Adds a person whose RDN is its {@code uid}. */
  void person(final String uid) throws Exception {
    server.add(
        "dn: uid=" + uid + ",ou=people," + BASE,
        "objectClass: inetOrgPerson",
        "uid: " + uid,
        "cn: " + uid,
        "sn: " + uid);
  }

  /** The DN of group {@code cn}. */
  static String group(final String cn) {
    return "cn=" + cn + ",ou=groups," + BASE;
  }

  /** The DN of the person {@code uid} added by {@link #person}. */
  static String person(final String uid, final boolean dn) {
    return "uid=" + uid + ",ou=people," + BASE;
  }

  /** A groupOfNames {@code cn} with {@code members} (DNs). */
  void groupOfNames(final String cn, final String... members) throws Exception {
    final String[] lines = new String[members.length + 3];
    lines[0] = "dn: " + group(cn);
    lines[1] = "objectClass: groupOfNames";
    lines[2] = "cn: " + cn;
    for (int i = 0; i < members.length; i++) {
      lines[i + 3] = "member: " + members[i];
    }
    server.add(lines);
  }

  /** Where the gateway finds this directory, bound as {@link #BIND_DN}. */
  DirectoryConfig config(final Path passwordFile, final int maxGroupMembers) {
    return new DirectoryConfig(
        "ldap://127.0.0.1:" + port,
        Optional.of(BIND_DN),
        Optional.of(passwordFile),
        "uid",
        Duration.ofSeconds(1),
        maxGroupMembers);
  }

  void stop() {
    server.shutDown(true);
  }

  void start() throws LDAPException {
    server.startListening();
  }

  @Override
  public void close() {
    stop();
  }
}
