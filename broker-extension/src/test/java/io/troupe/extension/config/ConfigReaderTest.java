package io.troupe.extension.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.router.ClientIdLimits;
import io.troupe.router.InFlightLimits;
import io.troupe.router.LoginConfig;
import io.troupe.router.RouterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReaderTest {

  @TempDir Path home;

  @Test
  void shippedConfig_readsAsTheDefaults() {
    final Path shipped = Path.of("src", "main");
    final TroupeConfig config = ConfigReader.read(shipped);
    final RouterConfig defaults = RouterConfig.defaults();
    assertThat(config.router().topics().root()).isEqualTo("troupe");
    assertThat(config.router().forwardTimeout()).isEqualTo(defaults.forwardTimeout());
    assertThat(config.router().defaultDeadline()).isEqualTo(defaults.defaultDeadline());
    assertThat(config.router().statusTimeout()).isEqualTo(defaults.statusTimeout());
    assertThat(config.router().maxPayloadBytes()).isEqualTo(defaults.maxPayloadBytes());
    assertThat(config.dataFolder()).isEqualTo(shipped.resolve("data").toAbsolutePath().normalize());
    assertThat(config.logins().hashIterations()).isEqualTo(LoginConfig.GUIDANCE_ITERATIONS);
    assertThat(config.router().inFlight()).isEqualTo(InFlightLimits.defaults());
    assertThat(config.router().clientIds()).isEqualTo(ClientIdLimits.defaults());
    assertThat(config.router().usage()).isEqualTo(io.troupe.router.UsageLimits.defaults());
    assertThat(config.logins()).isEqualTo(LoginConfig.defaults());
    assertThat(config.router().keys()).isEqualTo(io.troupe.router.KeyLimits.defaults());
    assertThat(config.router().volunteers()).isEqualTo(io.troupe.router.VolunteerLimits.defaults());
  }

  @Test
  void volunteerLimits_areApplied_andABadOneStopsTheExtension() throws IOException {
    write(
        "<troupe><routing><volunteer-ask-again-ms>750</volunteer-ask-again-ms></routing><limits>"
            + "<max-held-requests-per-service>9</max-held-requests-per-service>"
            + "<max-held-requests-per-identity>2</max-held-requests-per-identity></limits>"
            + "<topic-root>other</topic-root></troupe>");
    assertThat(ConfigReader.read(home).router().volunteers())
        .isEqualTo(new io.troupe.router.VolunteerLimits(9, 2, Duration.ofMillis(750)));
    write(
        "<troupe><limits><max-held-requests-per-service>0</max-held-requests-per-service>"
            + "</limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<max-held-requests-per-service> must be a positive whole number");
  }

  @Test
  void keyLimits_areApplied_andZeroStopsTheExtension() throws IOException {
    write(
        "<troupe><limits><max-keys-per-identity>5</max-keys-per-identity>"
            + "<max-keys>50</max-keys></limits></troupe>");
    assertThat(ConfigReader.read(home).router().keys().maxPerIdentity()).isEqualTo(5);
    assertThat(ConfigReader.read(home).router().keys().maxTotal()).isEqualTo(50);
    write("<troupe><limits><max-keys>0</max-keys></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("max-keys");
  }

  @Test
  void usageLimits_areAppliedKeptAndZeroRefused() throws IOException {
    write(
        "<troupe><topic-root>acme</topic-root><limits>"
            + "<max-metered-identities>70</max-metered-identities>"
            + "<max-meters-per-identity>7</max-meters-per-identity></limits></troupe>");
    assertThat(ConfigReader.read(home).router().usage())
        .isEqualTo(new io.troupe.router.UsageLimits(70, 7));
    write("<troupe><limits><max-meters-per-identity>0</max-meters-per-identity></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("max-meters-per-identity");
  }

  @Test
  void inFlightLimits_areApplied() throws IOException {
    write(
        "<troupe><routing><max-deadline-ms>90000</max-deadline-ms></routing><limits>"
            + "<max-pending-requests-per-identity>7</max-pending-requests-per-identity>"
            + "<max-pending-bytes-per-identity>5000000000</max-pending-bytes-per-identity>"
            + "<max-pending-requests>70</max-pending-requests>"
            + "<max-pending-bytes>6000000000</max-pending-bytes></limits></troupe>");
    assertThat(ConfigReader.read(home).router().inFlight())
        .isEqualTo(
            new InFlightLimits(Duration.ofSeconds(90), 7, 5_000_000_000L, 70, 6_000_000_000L));
  }

  @Test
  void inFlightLimits_thatDisagree_stopTheExtensionNamingThem() throws IOException {
    write(
        "<troupe><routing><default-deadline-ms>20000</default-deadline-ms>"
            + "<max-deadline-ms>10000</max-deadline-ms></routing></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<default-deadline-ms> (20000) must not exceed <max-deadline-ms>");
    write(
        "<troupe><limits><max-pending-bytes-per-identity>1000</max-pending-bytes-per-identity>"
            + "</limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .hasMessageContaining("must be at least <max-payload-bytes> (1048576)");
    write("<troupe><limits><max-pending-requests>10</max-pending-requests></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .hasMessageContaining(
            "<max-pending-requests-per-identity> (1000) must not exceed <max-pending-requests>");
    write("<troupe><limits><max-pending-bytes>-1</max-pending-bytes></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .hasMessageContaining("<max-pending-bytes> must be a positive whole number");
  }

  @Test
  void clientIdLimits_areAppliedAndZeroRefused() throws IOException {
    write(
        "<troupe><limits><max-client-id-length>64</max-client-id-length>"
            + "<max-client-ids-per-identity>5</max-client-ids-per-identity>"
            + "<max-client-ids>50</max-client-ids></limits></troupe>");
    assertThat(ConfigReader.read(home).router().clientIds())
        .isEqualTo(new ClientIdLimits(64, 5, 50));
    write(
        "<troupe><topic-root>acme</topic-root>"
            + "<limits><max-client-id-length>64</max-client-id-length></limits></troupe>");
    assertThat(ConfigReader.read(home).router().clientIds().maxLength())
        .as("kept when another setting rebuilds the router's config")
        .isEqualTo(64);
    write("<troupe><limits><max-client-ids>0</max-client-ids></limits></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("max-client-ids");
  }

  @Test
  void hashIterations_areAppliedAndTooFewRefused() throws IOException {
    write("<troupe><logins><hash-iterations>5000</hash-iterations></logins></troupe>");
    assertThat(ConfigReader.read(home).logins().hashIterations()).isEqualTo(5_000);
    write("<troupe><logins><hash-iterations>999</hash-iterations></logins></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<hash-iterations> must be at least 1000");
  }

  @Test
  void hashQueue_isAppliedAndZeroRefused() throws IOException {
    write(
        "<troupe><logins><concurrent-hashes>3</concurrent-hashes><queued-hashes>50</queued-hashes>"
            + "<queued-hashes-per-identity>4</queued-hashes-per-identity></logins></troupe>");
    final io.troupe.router.LoginConfig logins = ConfigReader.read(home).logins();
    assertThat(logins.concurrentHashes()).isEqualTo(3);
    assertThat(logins.queuedHashes()).isEqualTo(50);
    assertThat(logins.queuedHashesPerIdentity()).isEqualTo(4);
    write(
        "<troupe><logins><queued-hashes-per-identity>0</queued-hashes-per-identity></logins></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<queued-hashes-per-identity> must be a positive whole number");
  }

  @Test
  void noFile_meansDefaults() {
    assertThat(ConfigReader.read(home).router().forwardTimeout())
        .isEqualTo(RouterConfig.defaults().forwardTimeout());
  }

  @Test
  void values_areApplied() throws IOException {
    write(
        "<troupe><topic-root>acme/t</topic-root><data-folder>/var/lib/troupe</data-folder>"
            + "<routing><forward-timeout-ms>500</forward-timeout-ms></routing>"
            + "<limits><max-payload-bytes>2048</max-payload-bytes></limits></troupe>");
    final TroupeConfig config = ConfigReader.read(home);
    assertThat(config.router().topics().gatewayApi()).isEqualTo("acme/t/gw/api");
    assertThat(config.router().forwardTimeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.router().maxPayloadBytes()).isEqualTo(2048);
    assertThat(config.dataFolder()).isEqualTo(Path.of("/var/lib/troupe"));
  }

  @Test
  void shippedConfig_usesTheEmbeddedStore() {
    assertThat(ConfigReader.read(Path.of("src", "main")).database()).isEmpty();
  }

  @Test
  void store_namesASharedPostgresDatabase() throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("db-password"), "secret\n");
    write(
        "<troupe><store><jdbc-url>jdbc:postgresql://db:5432/troupe</jdbc-url><user>troupe</user>"
            + "<password-file>conf/db-password</password-file></store></troupe>");
    final DatabaseConfig database = ConfigReader.read(home).database().orElseThrow();
    assertThat(database.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/troupe");
    assertThat(database.user()).contains("troupe");
    assertThat(database.passwordFile()).contains(home.resolve("conf").resolve("db-password"));
  }

  @Test
  void store_withAnotherDatabaseOrAMissingPasswordFile_isRefusedWithTheReason() throws IOException {
    write("<troupe><store><jdbc-url>jdbc:mysql://db/troupe</jdbc-url></store></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("PostgreSQL")
        .hasMessageContaining("jdbc:mysql://db/troupe");
    write(
        "<troupe><store><jdbc-url>jdbc:postgresql://db/troupe</jdbc-url>"
            + "<password-file>/nonexistent/pw</password-file></store></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .hasMessageContaining("<password-file>")
        .hasMessageContaining("/nonexistent/pw");
    write("<troupe><store><user>troupe</user></store></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("no <jdbc-url>");
  }

  @Test
  void unknownElement_isRefusedByName() throws IOException {
    write("<troupe><routing><forward-timeout>5</forward-timeout></routing></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .isInstanceOf(ConfigReader.InvalidConfigException.class)
        .hasMessageContaining("<forward-timeout>");
  }

  @Test
  void badValues_areRefusedWithTheValue() throws IOException {
    write("<troupe><routing><status-timeout-ms>-3</status-timeout-ms></routing></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home))
        .hasMessageContaining("status-timeout-ms")
        .hasMessageContaining("'-3'");
    write("<troupe><topic-root>a/#</topic-root></troupe>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("topic-root");
    write("<troupe><routing>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("not readable XML");
    write("<gateway/>");
    assertThatThrownBy(() -> ConfigReader.read(home)).hasMessageContaining("<troupe>");
  }

  private void write(final String xml) throws IOException {
    Files.createDirectories(home.resolve("conf"));
    Files.writeString(home.resolve("conf").resolve("config.xml"), xml);
  }
}
