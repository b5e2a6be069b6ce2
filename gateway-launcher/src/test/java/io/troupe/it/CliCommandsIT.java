package io.troupe.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.troupe.agent.api.ServiceResponse;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeConsumer;
import io.troupe.agent.cli.TroupeCli;
import io.troupe.proto.v1.BrowseResult;
import io.troupe.proto.v1.Decisions;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.IdentityList;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LoadTable;
import io.troupe.proto.v1.RegisterService;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every command issue 13 added, run in this JVM ({@link TroupeCli#run}) against the {@link
 * SharedGateway}: its success, its refusal to someone it is not for, and bad input (exit 2, one
 * line saying what is wrong and the line pointing at --help). Names begin with {@code clic}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CliCommandsIT {

  private static final String OWNER = "clic-own";
  private static final String MEMBER = "clic-mem";
  private static final String CONSUMER = "clic-con";
  private static final String OUTSIDER = "clic-out";
  private static final String COMMUNITY = "clic";
  private static final String ADDRESS = "props.clic";

  private static GatewayFixture gw;
  private static Path dir;
  private static TroupeAgent owner;

  record Run(int exit, String out, String err) {
    /** The refusal's one line; exit 2 also prints where to read more. */
    void isUsageError() {
      assertThat(exit).as(err).isEqualTo(2);
      final List<String> lines = err.lines().toList();
      assertThat(lines).hasSize(2);
      assertThat(lines.get(0)).startsWith("troupe: ");
      assertThat(lines.get(1)).startsWith("Try 'troupe ").endsWith(" --help' for more.");
      assertThat(out).isEmpty();
    }

    void isRefused() {
      assertThat(exit).as(err).isEqualTo(3);
      assertThat(err.lines()).hasSize(1);
      assertThat(err).contains("status 403");
      assertThat(out).isEmpty();
    }

    void succeeded() {
      assertThat(exit).as(err).isZero();
      assertThat(err).isEmpty();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    gw = SharedGateway.fixture();
    dir = Files.createDirectories(Path.of("target", "it", "clic-" + System.nanoTime()));
    for (final String device : List.of(OWNER, MEMBER, OUTSIDER)) {
      passwordFile(device, gw.addIdentity(device, IdentityRole.DEVICE));
    }
    passwordFile(CONSUMER, gw.addIdentity(CONSUMER, IdentityRole.CONSUMER));
    // the owner serves props.clic: it answers with the request's user properties, sorted
    owner =
        TroupeAgent.builder()
            .port(gw.port())
            .deviceId(OWNER)
            .password(Files.readString(dir.resolve(OWNER)).trim())
            .community(COMMUNITY)
            .members(MEMBER)
            .statusInterval(Duration.ofMillis(300))
            .service(
                "props",
                request ->
                    CompletableFuture.completedFuture(
                        ServiceResponse.ok(
                            new TreeMap<>(request.properties())
                                .toString()
                                .getBytes(StandardCharsets.UTF_8),
                            "text/plain")))
            .build();
    owner.startBlocking();
  }

  @AfterAll
  static void stop() {
    if (owner != null) {
      owner.close();
    }
  }

  private static void passwordFile(final String identity, final String password) throws Exception {
    Files.writeString(dir.resolve(identity), password + "\n");
  }

  /** {@code troupe ARGS --port P}, in this JVM. */
  static Run troupe(final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--port", Integer.toString(gw.port())));
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    final int exit =
        TroupeCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
    return new Run(exit, out.toString(), err.toString());
  }

  /** {@code troupe ARGS -u USER --password-file F --port P}. */
  static Run as(final String user, final String... args) {
    final List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("-u", user, "--password-file", dir.resolve(user).toString()));
    return troupe(all.toArray(String[]::new));
  }

  /** {@code troupe identity ARGS} as the gateway's admin, its secret read from the home. */
  static Run asAdmin(final String... args) {
    final List<String> all = new ArrayList<>(List.of("identity"));
    all.addAll(List.of(args));
    all.addAll(List.of("--admin-secret-file", gw.gateway.adminSecretFile().toString()));
    return troupe(all.toArray(String[]::new));
  }

  private static <M extends Message.Builder> M parsed(final String json, final M into)
      throws Exception {
    JsonFormat.parser().merge(json, into);
    return into;
  }

  private static void api(final String user, final GatewayRequest request) throws Exception {
    try (TroupeConsumer client =
        TroupeConsumer.builder()
            .port(gw.port())
            .user(user)
            .password(Files.readString(dir.resolve(user)).trim())
            .build()) {
      client.connect().get(10, TimeUnit.SECONDS);
      assertThat(client.gatewayApi(request).get(10, TimeUnit.SECONDS).getStatus()).isLessThan(300);
    }
  }

  private static GatewayRequest join(final String community, final boolean create) {
    return GatewayRequest.newBuilder()
        .setJoinCommunity(
            JoinCommunity.newBuilder().setCommunity(community).setCreateIfAbsent(create))
        .build();
  }

  @Test
  void identityList_asAdmin_namesThemWithTheirRoles() throws Exception {
    final Run json = asAdmin("list", "--json");
    json.succeeded();
    assertThat(parsed(json.out(), IdentityList.newBuilder()).getIdentitiesList())
        .anySatisfy(i -> assertThat(i.getName()).isEqualTo(MEMBER))
        .anySatisfy(
            i -> {
              assertThat(i.getName()).isEqualTo(CONSUMER);
              assertThat(i.getRole()).isEqualTo(IdentityRole.CONSUMER);
            })
        .allSatisfy(i -> assertThat(i.getPassword()).isEmpty());

    as(CONSUMER, "identity", "list").isRefused();
    asAdmin("list", "surplus").isUsageError();
  }

  @Test
  void identityRemove_asAdmin_removesIt() throws Exception {
    passwordFile("clic-gone", gw.addIdentity("clic-gone", IdentityRole.CONSUMER));
    as(CONSUMER, "identity", "remove", "clic-gone").isRefused();

    final Run removed = asAdmin("remove", "clic-gone");
    removed.succeeded();
    assertThat(asAdmin("list").out()).doesNotContain("clic-gone");

    asAdmin("remove").isUsageError();
  }

  @Test
  void share_disableThenEnable_asTheDevice_stopsAndResumesItsRequests() {
    final Run disabled = as(OWNER, "share", "disable", ADDRESS);
    disabled.succeeded();
    assertThat(as(CONSUMER, "call", ADDRESS, "--timeout", "2s").exit()).isEqualTo(6);

    as(OWNER, "share", "enable", ADDRESS).succeeded();
    await()
        .pollInterval(Duration.ofMillis(100))
        .atMost(Duration.ofSeconds(10))
        .until(() -> as(CONSUMER, "call", ADDRESS).exit() == 0);

    // a device that does not serve the address has no share to switch: 404
    assertThat(as(OUTSIDER, "share", "disable", ADDRESS).exit()).isEqualTo(4);
    as(OWNER, "share", "enable").isUsageError();
  }

  @Test
  void call_areaAndD_reachTheServerAsUserProperties() {
    final Run call = as(CONSUMER, "call", ADDRESS, "--area", "north", "-D", "colour=blue");
    call.succeeded();
    assertThat(call.out()).contains("area=north").contains("colour=blue");

    final Run wrong =
        troupe("call", ADDRESS, "-u", CONSUMER, "--password-file", dir.resolve(OWNER).toString());
    assertThat(wrong.exit()).isEqualTo(3);
    as(CONSUMER, "call", ADDRESS, "-D", "no-value").isUsageError();
  }

  @Test
  void call_anAddressInUpperCase_reachesTheSameService() {
    // community and service names are case-insensitive wherever a user types them (bug 10)
    as(CONSUMER, "call", ADDRESS.toUpperCase(java.util.Locale.ROOT)).succeeded();
  }

  @Test
  void members_asOwner_addsAndRemoves_andPrintsTheCommunity() {
    final Run added = as(OWNER, "members", COMMUNITY, "--add", CONSUMER);
    added.succeeded();
    assertThat(added.out())
        .startsWith(COMMUNITY + " closed")
        .contains("may join: ")
        .contains(CONSUMER);

    final Run removed = as(OWNER, "members", COMMUNITY, "--remove", CONSUMER);
    removed.succeeded();
    assertThat(removed.out().lines().filter(l -> l.contains("may join")).findFirst().orElseThrow())
        .doesNotContain(CONSUMER);

    as(MEMBER, "members", COMMUNITY, "--add", OUTSIDER).isRefused();
    as(OWNER, "members", COMMUNITY, "--open", "--close").isUsageError();
  }

  @Test
  void browse_asAnyIdentity_listsTheCommunityAndItsServices() throws Exception {
    final Run json = as(CONSUMER, "browse", COMMUNITY, "--json");
    json.succeeded();
    assertThat(
            parsed(json.out(), BrowseResult.newBuilder())
                .getCommunities(0)
                .getServices(0)
                .getAddress())
        .isEqualTo(ADDRESS);

    final Run wrong =
        troupe("browse", "-u", CONSUMER, "--password-file", dir.resolve(OWNER).toString());
    assertThat(wrong.exit()).isEqualTo(3);
    as(CONSUMER, "browse", COMMUNITY, "surplus").isUsageError();
  }

  @Test
  void leave_asAMember_leaves() throws Exception {
    api(MEMBER, join(COMMUNITY, false));
    final Run left = as(MEMBER, "leave", COMMUNITY);
    left.succeeded();
    assertThat(left.out()).isEqualTo(MEMBER + " left " + COMMUNITY + "\n");
    // no longer a member: nothing to leave
    assertThat(as(MEMBER, "leave", COMMUNITY).exit()).isEqualTo(4);
    as(MEMBER, "leave").isUsageError();
  }

  @Test
  void delete_asTheOwner_deletesAServiceThenTheCommunity() throws Exception {
    api(OUTSIDER, join("clic-del", true));
    api(
        OUTSIDER,
        GatewayRequest.newBuilder()
            .setRegisterService(
                RegisterService.newBuilder().setCommunity("clic-del").setService("gone"))
            .build());
    as(CONSUMER, "delete", "clic-del").isRefused();

    as(OUTSIDER, "delete", "clic-del", "--service", "gone").succeeded();
    as(OUTSIDER, "delete", "clic-del").succeeded();
    assertThat(as(OUTSIDER, "browse", "clic-del").out()).isEmpty();

    as(OUTSIDER, "delete").isUsageError();
  }

  @Test
  void clear_asTheOwner_insideItsCommunity() {
    as(OWNER, "clear", "troupe/c/" + COMMUNITY + "/nothing/#").succeeded();
    as(CONSUMER, "clear", "troupe/c/" + COMMUNITY + "/#").isRefused();
    as(OWNER, "clear").isUsageError();
  }

  @Test
  void tableAndWhy_asJson_parseBackToTheAnswers_andTheDecisionNamesTheArea() throws Exception {
    as(CONSUMER, "call", ADDRESS, "--area", "south").succeeded();
    final Run table = as(OWNER, "table", ADDRESS, "--json");
    table.succeeded();
    assertThat(parsed(table.out(), LoadTable.newBuilder()).getServers(0).getServer())
        .isEqualTo(OWNER);

    final Run why = as(OWNER, "why", ADDRESS, "--json");
    why.succeeded();
    final Decisions decisions = parsed(why.out(), Decisions.newBuilder()).build();
    // DecisionRecord.area is filled by the router part of issue 13 (branch h1router)
    assertThat(decisions.getDecisions(decisions.getDecisionsCount() - 1).getArea())
        .isEqualTo("south");

    as(OUTSIDER, "table", ADDRESS, "--json").isRefused();
    as(OWNER, "why").isUsageError();
  }

  @Test
  void catalogue_asJson_isOneDocument() throws Exception {
    final Run json = as(CONSUMER, "catalogue", "--json");
    json.succeeded();
    parsed(json.out(), BrowseResult.newBuilder());
  }

  @Test
  void rule_isAPatch_andRedirectNoneEndsTheRedirect() {
    // the router keeps what a patch leaves unset from the router part of issue 13 (h1router)
    assertThat(as(OWNER, "rule", ADDRESS, "--order", "LEAST_LOADED").out())
        .isEqualTo(ADDRESS + " LEAST_LOADED\n");
    assertThat(as(OWNER, "rule", ADDRESS, "--redirect", OWNER).out())
        .isEqualTo(ADDRESS + " LEAST_LOADED to " + OWNER + "\n");
    final Run ended = as(OWNER, "rule", ADDRESS, "--redirect", "none");
    ended.succeeded();
    assertThat(ended.out()).isEqualTo(ADDRESS + " LEAST_LOADED\n");

    as(MEMBER, "rule", ADDRESS, "--order", "PRIMARY_FIRST").isRefused();
    as(OWNER, "rule", ADDRESS).isUsageError();
  }
}
