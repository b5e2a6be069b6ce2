package io.troupe.it;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.troupe.launcher.LoopbackPorts;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The LDAP directory of the JVM's {@link SharedGateway} (R16): UnboundID's in-memory directory
 * server, a real LDAP endpoint on a fixed loopback port (so that a test may stop it and start it
 * again where the gateway looks for it). The gateway binds as {@link #BIND_DN} with the password in
 * {@link #passwordFile} and reads groups every second. People live under {@code
 * ou=people,dc=troupe,dc=test} with their identity as {@code uid}, groups under {@code ou=groups}.
 * As with the shared gateway, a class names its people and groups with its own prefix.
 */
final class SharedDirectory {

  static final String BASE = "dc=troupe,dc=test";
  static final String BIND_DN = "cn=gateway," + BASE;

  private static SharedDirectory instance;

  final InMemoryDirectoryServer server;
  final int port;
  final Path passwordFile;

  private SharedDirectory(final InMemoryDirectoryServer server, final int port, final Path file) {
    this.server = server;
    this.port = port;
    this.passwordFile = file;
  }

  /** The JVM's directory, started on first use. */
  static synchronized SharedDirectory get() throws Exception {
    if (instance == null) {
      // below the ephemeral range: no client can take it while the directory is stopped
      final int port = LoopbackPorts.freeTcp();
      final String password = "ldap-" + System.nanoTime();
      final Path folder =
          Files.createDirectories(Path.of("target", "it", "directory-" + System.nanoTime()));
      final Path file = Files.writeString(folder.resolve("ldap.password"), password);
      final InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE);
      config.addAdditionalBindCredentials(BIND_DN, password);
      config.setListenerConfigs(
          InMemoryListenerConfig.createLDAPConfig(
              "ldap", InetAddress.getLoopbackAddress(), port, null));
      final InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
      server.add("dn: " + BASE, "objectClass: domain", "dc: troupe");
      server.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
      server.add("dn: ou=groups," + BASE, "objectClass: organizationalUnit", "ou: groups");
      server.startListening();
      instance = new SharedDirectory(server, port, file.toAbsolutePath());
    }
    return instance;
  }

  /** The {@code <directory>} element of the shared gateway's configuration. */
  String config() {
    return "<directory><ldap-url>ldap://127.0.0.1:"
        + port
        + "</ldap-url><bind-dn>"
        + BIND_DN
        + "</bind-dn><password-file>"
        + passwordFile
        + "</password-file><refresh-seconds>1</refresh-seconds></directory>";
  }

  /** The DN of the person {@code uid}. */
  static String person(final String uid) {
    return "uid=" + uid + ",ou=people," + BASE;
  }

  /** The DN of the group {@code cn}. */
  static String group(final String cn) {
    return "cn=" + cn + ",ou=groups," + BASE;
  }

  /** Adds the person {@code uid}. */
  void addPerson(final String uid) throws Exception {
    server.add(
        "dn: " + person(uid), "objectClass: inetOrgPerson", "uid: " + uid, "cn: " + uid, "sn: x");
  }

  /** Adds the group {@code cn} (a groupOfNames) with the people {@code uids}. */
  void addGroup(final String cn, final String... uids) throws Exception {
    server.add("dn: " + group(cn), "objectClass: groupOfNames", "cn: " + cn);
    for (final String uid : uids) {
      addMember(cn, uid);
    }
  }

  void addMember(final String cn, final String uid) throws Exception {
    server.modify(group(cn), new Modification(ModificationType.ADD, "member", person(uid)));
  }

  void removeMember(final String cn, final String uid) throws Exception {
    server.modify(group(cn), new Modification(ModificationType.DELETE, "member", person(uid)));
  }

  /** The directory goes away: the gateway finds it unreachable until {@link #start}. */
  void stop() {
    server.shutDown(true);
  }

  void start() throws Exception {
    server.startListening();
  }
}
