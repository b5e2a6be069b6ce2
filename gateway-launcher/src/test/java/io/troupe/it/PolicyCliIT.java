package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.JsonFormat;
import io.troupe.agent.api.AccessPolicies;
import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.api.TroupeException;
import io.troupe.agent.cli.TroupeCli;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.PolicyList;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.UsageReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code troupe policy set|show|clear} and {@code troupe usage}, and the agent library's {@link
 * AccessPolicies}, run in this JVM ({@link TroupeCli#run}) against the {@link SharedGateway}: a
 * community owner limits its service, a consumer over the limit is refused with 429 (exit 5) and
 * reads what it used and when it frees, someone else may not set it (exit 3), and a community's
 * session limit refuses a second connection at CONNECT (exit 5). Policies are set on this class's
 * own community and service only, never on the gateway. Names begin with {@code pcli}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PolicyCliIT {

  private static final String OWNER = "pcli-own";
  private static final String MEMBER = "pcli-mem";
  private static final String CONSUMER = "pcli-con";
  private static final String COMMUNITY = "pcli";
  private static final String ADDRESS = "echo.pcli";

  private static GatewayFixture gw;
  private static Path dir;
  private static TroupeAgent owner;

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    dir = Files.createDirectories(Path.of("target", "it", "pcli-" + System.nanoTime()));
    for (final String device : List.of(OWNER, MEMBER)) {
      Files.writeString(dir.resolve(device), gw.addIdentity(device, IdentityRole.DEVICE) + "\n");
    }
    Files.writeString(
        dir.resolve(CONSUMER), gw.addIdentity(CONSUMER, IdentityRole.CONSUMER) + "\n");
    owner =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(OWNER)
            .password(password(OWNER))
            .community(COMMUNITY)
            .members(MEMBER)
            .service("echo", ServiceHandler.echo())
            .build();
    owner.startBlocking();
  }

  @AfterAll
  static void stop() {
    if (owner != null) {
      owner.close();
    }
  }

  private static String password(final String identity) throws Exception {
    return Files.readString(dir.resolve(identity)).trim();
  }

  /** {@code troupe ARGS -u USER --password-file F --port P}, in this JVM. */
  private static Run as(final String user, final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "-u",
            user,
            "--password-file",
            dir.resolve(user).toString(),
            "--port",
            Integer.toString(gw.port())));
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int exit =
        TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  private static TroupeConsumer consumer(final String user) throws Exception {
    final TroupeConsumer c =
        TroupeConsumer.builder().port(gw.port()).user(user).password(password(user)).build();
    try {
      c.connect().get(10, TimeUnit.SECONDS);
      return c;
    } catch (final Exception e) {
      c.close();
      throw e;
    }
  }

  @Test
  void quotaOnAService_refusesTheConsumerWith429_usageSaysWhenItFrees_clearLiftsIt()
      throws Exception {
    // given the owner limits its service to 2 KiB both ways per 10 s per consumer
    final Run set =
        as(
            OWNER,
            "policy",
            "set",
            "service",
            "ECHO.pcli",
            "--quota",
            "2KB",
            "--window",
            "10s",
            "--bandwidth",
            "1GiB/s");
    assertThat(set.exit()).as(set.err()).isZero();
    assertThat(set.out()).contains("service  echo.pcli").contains("2KiB/10s").contains("1GiB/s");

    final Run shown = as(OWNER, "policy", "show", "service", ADDRESS, "--json");
    assertThat(shown.exit()).as(shown.err()).isZero();
    final PolicyList.Builder list = PolicyList.newBuilder();
    JsonFormat.parser().merge(shown.out(), list);
    assertThat(list.getPoliciesList())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.getQuotaBytes()).isEqualTo(2048);
              assertThat(p.getQuotaWindowSeconds()).isEqualTo(10);
            });

    // when the consumer sends 1,500 bytes, echoed: 3,000 of its 2,048 used
    try (TroupeConsumer alice = consumer(CONSUMER)) {
      assertThat(alice.callBlocking(ADDRESS, new byte[1_500], CallOptions.defaults()).status())
          .isEqualTo(200);

      // then its next call is refused with 429, the reason naming the limit and when it frees
      final Run refused = as(CONSUMER, "call", ADDRESS, "--data", "x");
      assertThat(refused.exit()).as(refused.err()).isEqualTo(5);
      assertThat(refused.err())
          .contains("status 429")
          .contains("quota of 2048 bytes per 10 s for service echo.pcli used up; frees in");

      // and usage says what is used, that nothing is left, and when it frees
      final Run usage = as(CONSUMER, "usage");
      assertThat(usage.exit()).as(usage.err()).isZero();
      assertThat(usage.out())
          .contains("limits that apply to " + CONSUMER)
          .contains("service echo.pcli")
          .contains("quota        2 KiB per 10 s: used ")
          .contains("used up, frees in");
      final UsageReport report = alice.policies().usage().get(10, TimeUnit.SECONDS);
      assertThat(report.getRowsList())
          .anySatisfy(
              r -> {
                assertThat(r.getTarget()).isEqualTo(ADDRESS);
                assertThat(r.getBytesReceived()).isGreaterThanOrEqualTo(1_500);
                assertThat(r.getFreesAtMs()).isPositive();
              });

      // when the owner clears the policy, the next request goes through
      final Run cleared = as(OWNER, "policy", "clear", "service", ADDRESS);
      assertThat(cleared.exit()).as(cleared.err()).isZero();
      assertThat(cleared.out()).isEqualTo("cleared the policy of service echo.pcli\n");
      assertThat(alice.callBlocking(ADDRESS, new byte[1_500], CallOptions.defaults()).status())
          .isEqualTo(200);
    }
    assertThat(as(OWNER, "policy", "clear", "service", ADDRESS).exit()).isEqualTo(4);
  }

  @Test
  void someoneNotTheOwner_mayNotSetIt_norSeeAnothersUsage() {
    final Run member = as(MEMBER, "policy", "set", "service", ADDRESS, "--max-connections", "1");
    assertThat(member.exit()).as(member.err()).isEqualTo(3);
    assertThat(member.err()).contains("status 403").hasLineCount(1);
    assertThat(member.out()).isEmpty();

    final Run usage = as(CONSUMER, "usage", "--identity", OWNER);
    assertThat(usage.exit()).as(usage.err()).isEqualTo(3);
    assertThat(as(CONSUMER, "policy", "set", "gateway", "--max-connections", "1").exit())
        .isEqualTo(3);
  }

  @Test
  void sessionLimitOfACommunity_refusesASecondConnectionAtConnect() throws Exception {
    // given the community allows each member one session, through the agent library
    final AccessPolicy one =
        owner
            .policies()
            .set(
                AccessPolicies.policy(PolicyScope.COMMUNITY, COMMUNITY)
                    .setMaxConnections(1)
                    .build())
            .get(10, TimeUnit.SECONDS);
    assertThat(one.getMaxConnections()).isEqualTo(1);
    try {
      // the member joins, so that the community's policy applies to it
      try (TroupeAgent member =
          TroupeAgent.builder()
              .port(gw.port())
              .deviceId(MEMBER)
              .password(password(MEMBER))
              .community(COMMUNITY)
              .service("echo", ServiceHandler.echo())
              .statusInterval(Duration.ofSeconds(5))
              .build()) {
        member.startBlocking();

        // when it opens a second session: CONNACK 0x97, status 429, exit 5
        final Run second = as(MEMBER, "usage");
        assertThat(second.exit()).as(second.err()).isEqualTo(5);
        assertThat(second.err()).contains("connect as " + MEMBER).contains("status 429");
        assertThatThrownBy(() -> consumer(MEMBER))
            .cause()
            .isInstanceOfSatisfying(
                TroupeException.class, e -> assertThat(e.status()).isEqualTo(429));
      }
    } finally {
      owner.policies().clear(PolicyScope.COMMUNITY, COMMUNITY).get(10, TimeUnit.SECONDS);
    }
  }
}
