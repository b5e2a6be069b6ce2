package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code <directory>} (R16): values and defaults, and each bad value stopping the extension. */
class DirectoryConfigReaderTest {

  @TempDir Path home;

  @Test
  void shippedConfig_hasNoDirectory() {
    assertThat(ConfigReader.read(Path.of("src", "main")).directory()).isEmpty();
  }

  @Test
  void directory_fullySet_isRead() throws IOException {
    Files.writeString(home.resolve("ldap.password"), "secret\n");
    final DirectoryConfig d =
        read(
            "<ldap-url>ldaps://ldap.example.org:636</ldap-url>"
                + "<bind-dn>cn=gateway,dc=example,dc=org</bind-dn>"
                + "<password-file>ldap.password</password-file>"
                + "<identity-attribute>cn</identity-attribute>"
                + "<refresh-seconds>5</refresh-seconds>"
                + "<max-group-members>50</max-group-members>");

    assertThat(d.ldapUrl()).isEqualTo("ldaps://ldap.example.org:636");
    assertThat(d.bindDn()).contains("cn=gateway,dc=example,dc=org");
    assertThat(d.passwordFile()).contains(home.resolve("ldap.password").toAbsolutePath());
    assertThat(d.identityAttribute()).isEqualTo("cn");
    assertThat(d.refresh()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d.maxGroupMembers()).isEqualTo(50);
  }

  @Test
  void directory_onlyAUrl_bindsAnonymouslyWithTheDefaults() throws IOException {
    final DirectoryConfig d = read("<ldap-url>ldap://127.0.0.1:389</ldap-url>");

    assertThat(d.bindDn()).isEqualTo(Optional.empty());
    assertThat(d.identityAttribute()).isEqualTo("uid");
    assertThat(d.refresh()).isEqualTo(Duration.ofSeconds(60));
    assertThat(d.maxGroupMembers()).isEqualTo(10_000);
  }

  @Test
  void directory_badValues_stopTheExtensionNamingTheSetting() throws IOException {
    refused("<bind-dn>cn=x</bind-dn>", "<ldap-url>");
    refused("<ldap-url>http://ldap.example.org</ldap-url>", "<ldap-url>");
    refused("<ldap-url>ldap://h</ldap-url><bind-dn>cn=gw</bind-dn>", "<password-file>");
    refused(
        "<ldap-url>ldap://h</ldap-url><bind-dn>not a dn</bind-dn>"
            + "<password-file>missing</password-file>",
        "<bind-dn>");
    refused(
        "<ldap-url>ldap://h</ldap-url><bind-dn>cn=gw</bind-dn>"
            + "<password-file>missing</password-file>",
        "not readable");
    refused(
        "<ldap-url>ldap://h</ldap-url><identity-attribute>u id</identity-attribute>",
        "<identity-attribute>");
    refused(
        "<ldap-url>ldap://h</ldap-url><refresh-seconds>0</refresh-seconds>", "<refresh-seconds>");
    refused(
        "<ldap-url>ldap://h</ldap-url><max-group-members>-1</max-group-members>",
        "<max-group-members>");
    refused(
        "<ldap-url>ldap://h</ldap-url><password>inline</password>", "unknown element <password>");
  }

  @Test
  void directory_emptyPasswordFile_isRefused() throws IOException {
    Files.writeString(home.resolve("empty"), "\n");
    refused(
        "<ldap-url>ldap://h</ldap-url><bind-dn>cn=gw</bind-dn><password-file>empty</password-file>",
        "is empty");
  }

  private DirectoryConfig read(final String settings) throws IOException {
    write(settings);
    return ConfigReader.read(home).directory().orElseThrow();
  }

  private void refused(final String settings, final String reason) throws IOException {
    write(settings);
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining(reason);
  }

  private void write(final String settings) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(
        home.resolve("conf").resolve("config.xml"),
        "<troupe><directory>" + settings + "</directory></troupe>");
  }
}
