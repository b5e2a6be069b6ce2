package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.RouterFixture.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionEntry;
import io.troupe.proto.v1.DistributionRule;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.RegisterService;
import io.troupe.proto.v1.UpdateCommunity;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Anonymity set per service, per community and per server (R15): the strictest applies to each
 * server. Consumers never learn a server anonymous to them (no {@code server} in the answer, no
 * {@code {device}.{address}}, no name in a 503 reason); members see a pseudonym for one anonymous
 * to all; a named server keeps its own address.
 */
class AnonymityLevelsTest {

  private static final Anonymity N = Anonymity.NAMED;
  private static final Anonymity C = Anonymity.ANONYMOUS_TO_CONSUMERS;
  private static final Anonymity A = Anonymity.ANONYMOUS_TO_ALL;
  private static final Anonymity U = Anonymity.ANONYMITY_UNSPECIFIED;

  static Stream<Arguments> levels() {
    // rule, community, dev1 (primary), dev2; then whether consumers see dev1, dev2; members dev1,
    // dev2
    return Stream.of(
        Arguments.of("all named", U, U, U, U, true, true, true, true),
        Arguments.of("dev1 anonymous to consumers", N, U, C, U, false, true, true, true),
        Arguments.of("dev2 anonymous to all", N, U, U, A, true, false, true, false),
        Arguments.of("community anonymous to consumers", N, C, U, U, false, false, true, true),
        Arguments.of("community anonymous to all", N, A, N, N, false, false, false, false),
        Arguments.of("rule to consumers, dev1 to all", C, U, A, N, false, false, false, true),
        Arguments.of("rule to all beats a server's named", A, N, N, N, false, false, false, false));
  }

  private static RegisterService.Builder echo(final Anonymity rule, final Anonymity server) {
    return RegisterService.newBuilder()
        .setCommunity("demo")
        .setService("echo")
        .setAnonymity(server)
        .setRule(DistributionRule.newBuilder().setAnonymity(rule));
  }

  private static RouterFixture servers(
      final Anonymity rule, final Anonymity community, final Anonymity dev1, final Anonymity dev2) {
    final RouterFixture f = new RouterFixture();
    assertThat(f.register("dev1", echo(rule, dev1)).getStatus()).isEqualTo(201);
    assertThat(f.register("dev2", echo(U, dev2)).getStatus()).isEqualTo(200);
    assertThat(
            f.api(
                    device("dev1"),
                    GatewayRequest.newBuilder()
                        .setUpdateCommunity(
                            UpdateCommunity.newBuilder()
                                .setCommunity("demo")
                                .setAnonymity(community))
                        .build())
                .getStatus())
        .isEqualTo(200);
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    return f;
  }

  private static List<String> listed(final RouterFixture f) {
    return f.router.serverLists("dev1").stream()
        .map(d -> ((Directive.PublishServers) d).list())
        .flatMap(l -> l.getServersList().stream())
        .map(DistributionEntry::getServer)
        .toList();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("levels")
  void theStrictestLevelApplies_perServer(
      final String name,
      final Anonymity rule,
      final Anonymity community,
      final Anonymity dev1,
      final Anonymity dev2,
      final boolean consumersSeeDev1,
      final boolean consumersSeeDev2,
      final boolean membersSeeDev1,
      final boolean membersSeeDev2) {
    final RouterFixture f = servers(rule, community, dev1, dev2);

    // the primary answers: the consumer learns it only when it is named to consumers
    final Decision.Forward fw = (Decision.Forward) f.router.onRequest(request("echo.demo"));
    assertThat(fw.device()).isEqualTo("dev1");
    final Decision.Answer answer =
        (Decision.Answer)
            f.router
                .onReply(device("dev1"), "dev1", fw.requestId(), reply(fw.requestId(), 200, "hi"))
                .get(0);
    assertThat(answer.server())
        .isEqualTo(consumersSeeDev1 ? Optional.of("dev1") : Optional.empty());

    // a server's own address reaches it only when it is named to consumers
    final Decision direct = f.router.onRequest(request("dev2.echo.demo"));
    if (consumersSeeDev2) {
      assertThat(((Decision.Forward) direct).device()).isEqualTo("dev2");
    } else {
      assertThat(((Decision.Answer) direct).refusal()).contains(Status.NOT_FOUND);
    }

    // members see ids or pseudonyms, server by server, and the list survives a restart
    for (final RouterFixture after : List.of(f, restarted(f))) {
      final List<String> list = listed(after);
      assertThat(list).hasSize(2);
      assertThat(list.contains("dev1")).isEqualTo(membersSeeDev1);
      assertThat(list.contains("dev2")).isEqualTo(membersSeeDev2);
      assertThat(list).allSatisfy(s -> assertThat(s).matches("dev[12]|server-[0-9a-f]{16}"));
    }

    // when no server is available, the 503 names servers only where every one is named
    f.status("dev1", "demo", Availability.OFFLINE, 0);
    f.status("dev2", "demo", Availability.OFFLINE, 0);
    final Decision.Answer refused = (Decision.Answer) f.router.onRequest(request("echo.demo"));
    assertThat(refused.refusal()).contains(Status.UNAVAILABLE);
    if (!consumersSeeDev1 || !consumersSeeDev2) {
      assertThat(refused.reason()).doesNotContain("dev1").doesNotContain("dev2");
    }
  }

  private static RouterFixture restarted(final RouterFixture f) {
    f.restart();
    f.online("dev1", "demo");
    f.online("dev2", "demo");
    return f;
  }

  @ParameterizedTest(name = "an unknown level in {0} is refused")
  @MethodSource("unknownLevels")
  void unknownLevel_isRefused_andChangesNothing(final String where, final GatewayRequest request) {
    final RouterFixture f = servers(N, U, U, U);
    final var before = f.router.snapshot();
    final ApiResult r = f.router.onApi(device("dev1"), request.toByteString());
    assertThat(r.response().getStatus()).isEqualTo(400);
    assertThat(r.response().getReason()).contains("unknown anonymity");
    assertThat(f.router.snapshot()).isEqualTo(before);
  }

  static Stream<Arguments> unknownLevels() {
    return Stream.of(
        Arguments.of(
            "a registration",
            GatewayRequest.newBuilder()
                .setRegisterService(echo(U, U).setAnonymityValue(42))
                .build()),
        Arguments.of(
            "a community update",
            GatewayRequest.newBuilder()
                .setUpdateCommunity(
                    UpdateCommunity.newBuilder().setCommunity("demo").setAnonymityValue(42))
                .build()));
  }
}
