package io.troupe.extension.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.extension.config.DirectoryConfig;
import io.troupe.router.GroupDirectory.DirectoryException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading groups from a real LDAP server: the three kinds of member attribute, and failures. */
class LdapGroupDirectoryTest {

  @TempDir Path dir;
  private TestDirectory ldap;
  private LdapGroupDirectory directory;

  @BeforeEach
  void start() throws Exception {
    ldap = new TestDirectory();
    for (final String uid : new String[] {"alice", "erin"}) {
      ldap.person(uid);
    }
    // a person whose RDN is not the identity attribute: its uid is read from the entry
    ldap.server.add(
        "dn: cn=Bob Builder,ou=people," + TestDirectory.BASE,
        "objectClass: inetOrgPerson",
        "cn: Bob Builder",
        "sn: Builder",
        "uid: bob");
    directory = new LdapGroupDirectory(ldap.config(password(TestDirectory.PASSWORD), 100));
  }

  @AfterEach
  void stop() {
    ldap.close();
  }

  @Test
  void members_fromMemberDns_byRdnOrByTheEntrysAttribute_skippingDanglingOnes() throws Exception {
    ldap.groupOfNames(
        "crew",
        TestDirectory.person("alice", true),
        "cn=Bob Builder,ou=people," + TestDirectory.BASE,
        "cn=Nobody,ou=people," + TestDirectory.BASE);

    assertThat(directory.members(TestDirectory.group("crew"), 100))
        .containsExactlyInAnyOrder("alice", "bob");
  }

  @Test
  void members_fromMemberUidAndUniqueMember() throws Exception {
    ldap.server.add(
        "dn: " + TestDirectory.group("posix"),
        "objectClass: posixGroup",
        "cn: posix",
        "gidNumber: 1000",
        "memberUid: carol",
        "memberUid: dave");
    ldap.server.add(
        "dn: " + TestDirectory.group("unique"),
        "objectClass: groupOfUniqueNames",
        "cn: unique",
        "uniqueMember: " + TestDirectory.person("erin", true) + "#'0101'B");

    assertThat(directory.members(TestDirectory.group("posix"), 100))
        .containsExactlyInAnyOrder("carol", "dave");
    assertThat(directory.members(TestDirectory.group("unique"), 100)).containsExactly("erin");
  }

  @Test
  void members_stopsReadingOneBeyondTheLimit() throws Exception {
    ldap.groupOfNames(
        "big",
        TestDirectory.person("a1", true),
        TestDirectory.person("a2", true),
        TestDirectory.person("a3", true),
        TestDirectory.person("a4", true));

    assertThat(directory.members(TestDirectory.group("big"), 2)).hasSize(3);
  }

  @Test
  void members_ofNoSuchGroup_failsAsReached() {
    assertThatThrownBy(() -> directory.members(TestDirectory.group("none"), 100))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("no group")
        .matches(e -> ((DirectoryException) e).reached());
  }

  @Test
  void members_directoryStopped_failsAsUnreachable_andReadsAgainOnceItIsBack() throws Exception {
    ldap.groupOfNames("crew", TestDirectory.person("alice", true));
    ldap.stop();

    assertThatThrownBy(() -> directory.members(TestDirectory.group("crew"), 100))
        .isInstanceOf(DirectoryException.class)
        .matches(e -> !((DirectoryException) e).reached());

    ldap.start();
    assertThat(directory.members(TestDirectory.group("crew"), 100)).containsExactly("alice");
  }

  @Test
  void members_wrongPassword_fails() throws Exception {
    ldap.groupOfNames("crew", TestDirectory.person("alice", true));
    final DirectoryConfig wrong = ldap.config(password("not-it"), 100);

    assertThatThrownBy(() -> new LdapGroupDirectory(wrong).members(TestDirectory.group("crew"), 9))
        .isInstanceOf(DirectoryException.class)
        .hasMessageContaining("127.0.0.1:" + ldap.port)
        .hasMessageNotContaining("not-it");
  }

  @Test
  void members_anonymousBind_readsToo() throws Exception {
    ldap.groupOfNames("crew", TestDirectory.person("alice", true));
    final DirectoryConfig anonymous =
        new DirectoryConfig(
            "ldap://127.0.0.1:" + ldap.port,
            Optional.empty(),
            Optional.empty(),
            "uid",
            java.time.Duration.ofSeconds(1),
            10);

    assertThat(new LdapGroupDirectory(anonymous).members(TestDirectory.group("crew"), 9))
        .containsExactly("alice");
  }

  private Path password(final String password) throws Exception {
    final Path file = dir.resolve("ldap-" + password + ".password");
    Files.writeString(file, password + "\n");
    return file;
  }
}
