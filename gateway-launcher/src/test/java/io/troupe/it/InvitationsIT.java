package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.api.TroupeException;
import io.troupe.agent.api.TroupeKeys;
import io.troupe.agent.cli.TroupeCli;
import io.troupe.agent.process.AgentProcess;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.KeyAction;
import io.troupe.proto.v1.Redeemed;
import io.troupe.proto.v1.ServerRole;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keys and invitations (R14) end to end on the shared gateway ({@link SharedGateway}): the owner
 * creates keys with the real command line (in this JVM), invitations are built offline, and
 * invitees redeem them as the CLI and the agent library do, then call, serve and clone with real
 * Paho clients. Every identity, community and client id starts with {@code inv-}.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class InvitationsIT {

  private static GatewayFixture gw;
  private static Path dir;
  private static String ownerPassword;
  private static TroupeAgent owner;

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    dir = Files.createDirectories(Path.of("target", "it", "inv-" + System.nanoTime()));
    ownerPassword = gw.addIdentity("inv-owner", IdentityRole.DEVICE);
    owner =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId("inv-owner")
            .password(ownerPassword)
            .community("inv-demo")
            .statusInterval(Duration.ofMillis(300))
            .service("echo", ServiceHandler.echo())
            .service("other", ServiceHandler.echo())
            .build();
    owner.startBlocking();
  }

  @AfterAll
  static void stop() {
    if (owner != null) {
      owner.close();
    }
  }

  @Test
  void useInvitation_inviteeWithNoIdentityRedeemsWithTheCli_callsOnlyThatService_untilRevoked()
      throws Exception {
    // given the owner's key and an invitation built from it, both by the command line
    final String key =
        cli(
                0,
                "key",
                "create",
                "echo.inv-demo",
                "--action",
                "use",
                "--uses",
                "2",
                "-u",
                "inv-owner")
            .trim();
    final String url = cli(0, "invite", key, "--host", "127.0.0.1:" + gw.port()).trim();
    assertThat(url).startsWith("troupe://127.0.0.1:" + gw.port() + "/i/");

    // when someone with no identity redeems it, saving the password it is given
    final Path saved = dir.resolve("newbie.password");
    final String redeemed =
        cli(0, "redeem", url, "--name", "inv-newbie", "--save", saved.toString());
    assertThat(redeemed).contains("granted use on echo.inv-demo").contains("identity: inv-newbie");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved)))
        .isEqualTo("rw-------");
    // the same invitation again is refused: each is redeemable once
    assertThat(cli(3, "redeem", url, "--name", "inv-again")).isEmpty();

    // then the new identity calls the service it was invited to, and nothing else
    try (TroupeConsumer newbie =
        TroupeConsumer.builder()
            .port(gw.port())
            .clientId("inv-newbie-1")
            .user("inv-newbie")
            .password(Files.readString(saved).trim())
            .build()) {
      newbie.connectBlocking();
      assertThat(status(newbie, "echo.inv-demo")).isEqualTo(200);
      assertThat(status(newbie, "other.inv-demo")).isEqualTo(403);

      // and revoking the key ends its access in the live session, at the next request
      cli(0, "key", "revoke", key.substring(0, key.indexOf('.')), "-u", "inv-owner");
      assertThat(status(newbie, "echo.inv-demo")).isEqualTo(403);
    }
    assertThat(cli(0, "key", "list", "-u", "inv-owner")).contains("revoked");
  }

  @Test
  void hostInvitation_deviceBecomesASecondary_andServesWhenThePrimaryIsKilled() throws Exception {
    // given a primary in its own process, and a device outside its closed community
    final String hostOwner = gw.addIdentity("inv-hostowner", IdentityRole.DEVICE);
    final String helperPassword = gw.addIdentity("inv-helper", IdentityRole.DEVICE);
    try (AgentProcess primary =
            AgentProcess.echo(gw.port(), "inv-hostowner", hostOwner, "inv-host", "echo");
        TroupeConsumer ownerApi = client("inv-hostowner", hostOwner, "inv-hostowner-api");
        TroupeConsumer helperApi = client("inv-helper", helperPassword, "inv-helper-api");
        TroupeConsumer carol = consumer("inv-carol")) {
      primary.awaitServing(Duration.ofSeconds(30));
      final String key =
          TroupeKeys.printed(
              ownerApi
                  .keys()
                  .create("echo.inv-host", List.of(KeyAction.HOST), 1, Duration.ZERO)
                  .get(10, TimeUnit.SECONDS));

      // when the device redeems a host invitation as itself and its agent starts
      final Redeemed r =
          helperApi
              .keys()
              .redeem(TroupeKeys.invitation(key, "127.0.0.1:" + gw.port()), "", "", "")
              .get(10, TimeUnit.SECONDS);
      assertThat(r.getGrantedList()).containsExactly(KeyAction.HOST);
      try (TroupeAgent helper =
          TroupeAgent.builder()
              .port(gw.port())
              .deviceId("inv-helper")
              .password(helperPassword)
              .community("inv-host")
              .statusInterval(Duration.ofMillis(300))
              .service("echo", ServiceHandler.echo())
              .build()) {
        assertThat(helper.startBlocking())
            .extracting(Registration::role)
            .containsExactly(ServerRole.SECONDARY);

        // then it answers once the primary is killed
        assertThat(call(carol, "echo.inv-host").server()).contains("inv-hostowner");
        primary.kill();
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(100))
            .until(
                () ->
                    call(carol, "echo.inv-host")
                        .server()
                        .equals(java.util.Optional.of("inv-helper")));
      }
    }
  }

  @Test
  void cloneInvitation_makesAWorkingInstanceAtANewAddressInAnotherCommunity() throws Exception {
    final String clonerPassword = gw.addIdentity("inv-cloner", IdentityRole.DEVICE);
    try (TroupeConsumer ownerApi = client("inv-owner", ownerPassword, "inv-owner-api");
        TroupeConsumer clonerApi = client("inv-cloner", clonerPassword, "inv-cloner-api");
        TroupeConsumer carol = consumer("inv-carol2")) {
      final String key =
          TroupeKeys.printed(
              ownerApi
                  .keys()
                  .create("echo.inv-demo", List.of(KeyAction.CLONE), 1, Duration.ofHours(1))
                  .get(10, TimeUnit.SECONDS));
      final Redeemed r =
          clonerApi
              .keys()
              .redeem(TroupeKeys.invitation(key, "127.0.0.1:" + gw.port()), "", "inv-lab", "")
              .get(10, TimeUnit.SECONDS);
      assertThat(r.getCommunity()).isEqualTo("inv-lab");
      assertThat(r.getCloneAddress()).isNotEqualTo("echo.inv-demo").contains("inv-lab");

      try (TroupeAgent cloner =
          TroupeAgent.builder()
              .port(gw.port())
              .deviceId("inv-cloner")
              .password(clonerPassword)
              .community("inv-lab")
              .statusInterval(Duration.ofMillis(300))
              .service("echo", ServiceHandler.echo())
              .build()) {
        assertThat(cloner.startBlocking())
            .extracting(Registration::role)
            .containsExactly(ServerRole.PRIMARY);
        final CallResult answer = call(carol, r.getCloneAddress());
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.server()).contains("inv-cloner");
      }
    }
  }

  @Test
  void coapRedemption_anAuthenticatedDtlsIdentityRedeemsWithCoapClientOpenssl() throws Exception {
    final boolean present = MosquittoRrInteropIT.onPath("coap-client-openssl");
    if (!"true".equalsIgnoreCase(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.assumeTrue(present, "libcoap3-bin is not installed");
    }
    gw.addIdentity("inv-coap", IdentityRole.CONSUMER);
    final String coapKey =
        io.troupe.contract.CoapKeys.read(gw.gateway.extensionHome()).keyOf("inv-coap");
    try (TroupeConsumer ownerApi = client("inv-owner", ownerPassword, "inv-owner-coap")) {
      final String key =
          TroupeKeys.printed(
              ownerApi
                  .keys()
                  .create("echo.inv-demo", List.of(KeyAction.USE), 1, Duration.ofHours(1))
                  .get(10, TimeUnit.SECONDS));
      final String url = TroupeKeys.invitation(key, "127.0.0.1:" + gw.port());
      final String token = url.substring(url.indexOf("/i/") + 3);
      final String coaps = "coaps://127.0.0.1:" + SharedGateway.get().dtlsPort + "/i/" + token;
      final String[] post = {
        "coap-client-openssl", "-B", "30", "-m", "post", "-u", "inv-coap", "-k", coapKey, coaps
      };
      assertThat(run(post)).contains("echo.inv-demo");
      assertThat(run(post)).contains("redeemed already");
      assertThat(ownerApi.keys().list().get(10, TimeUnit.SECONDS).getRedeemedList())
          .anyMatch(i -> i.getRedeemedBy().equals("inv-coap"));
    }
  }

  private static String run(final String... command) throws Exception {
    final Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(p.waitFor(40, TimeUnit.SECONDS)).isTrue();
    return new String(p.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
  }

  private static TroupeConsumer client(
      final String user, final String password, final String clientId) {
    final TroupeConsumer c =
        TroupeConsumer.builder()
            .port(gw.port())
            .clientId(clientId)
            .user(user)
            .password(password)
            .build();
    c.connectBlocking();
    return c;
  }

  private static TroupeConsumer consumer(final String name) throws Exception {
    return client(name, gw.addIdentity(name, IdentityRole.CONSUMER), name + "-1");
  }

  private static CallResult call(final TroupeConsumer c, final String address) {
    return c.callBlocking(address, "hi".getBytes(StandardCharsets.UTF_8), CallOptions.defaults());
  }

  /** The status of a call: the answer's, or the refusal's when the PUBACK refused it. */
  private static int status(final TroupeConsumer c, final String address) {
    try {
      return call(c, address).status();
    } catch (final TroupeException e) {
      return e.status();
    }
  }

  /** {@code troupe ARGS --port P} in this JVM, as inv-owner where {@code -u} says so. */
  private static String cli(final int exit, final String... args) {
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final String[] all =
        java.util.stream.Stream.concat(
                java.util.Arrays.stream(args),
                java.util.Arrays.asList(args).contains("invite")
                    ? java.util.stream.Stream.of()
                    : java.util.Arrays.asList(args).contains("-u")
                        ? java.util.stream.Stream.of(
                            "--port", Integer.toString(gw.port()), "--password", ownerPassword)
                        : java.util.stream.Stream.of("--port", Integer.toString(gw.port())))
            .toArray(String[]::new);
    final int code = TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all);
    assertThat(code).as(String.join(" ", args) + ": " + err).isEqualTo(exit);
    return out.toString();
  }
}
