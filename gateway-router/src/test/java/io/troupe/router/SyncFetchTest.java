package io.troupe.router;

import static io.troupe.router.RouterFixture.device;
import static io.troupe.router.RouterFixture.reply;
import static io.troupe.router.SyncItems.held;
import static io.troupe.router.SyncItems.item;
import static io.troupe.router.SyncItems.report;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.AccessPolicy;
import io.troupe.proto.v1.PolicyScope;
import io.troupe.proto.v1.RegisterService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Sync fetches through the gateway (R4, {@link SyncFetch}): a server of the service asks for
 * content by hash; the gateway sends it to another present server that holds it, fails over, and
 * refuses everyone else; no consumer policy, role or enabled flag applies, a per-service bound
 * does.
 */
class SyncFetchTest {

  private static final String A = ContentNames.hex(SyncItems.sha("A"));

  private final RouterFixture f = new RouterFixture();
  private final List<String> counted = new ArrayList<>();

  @BeforeEach
  void dev1AndPassiveDev3HoldA_dev2HoldsNothing() {
    f.router.reportTo(
        new RouterMetrics() {
          @Override
          public void syncFetched() {
            counted.add("fetched");
          }

          @Override
          public void syncFetchBytes(final long bytes) {
            counted.add("bytes " + bytes);
          }

          @Override
          public void syncRefused(final SyncRefusal why) {
            counted.add("refused " + why);
          }
        },
        com.google.common.base.Ticker.systemTicker());
    f.register("dev1", "demo", "notes");
    f.register("dev2", "demo", "notes");
    f.register(
        "dev3",
        RegisterService.newBuilder().setCommunity("demo").setService("notes").setPassive(true));
    for (final String d : List.of("dev1", "dev2", "dev3")) {
      f.online(d, "demo");
    }
    report(f, "dev1", held("r1", item("a.txt", "A", 1, "r1", 1)));
    report(f, "dev3", held("r3", item("a.txt", "A", 1, "r1", 1)));
  }

  private static ConsumerRequest fetch(final Principal who, final Map<String, String> props) {
    final Map<String, String> all = new HashMap<>(props);
    all.putIfAbsent(SyncFetch.ITEM, A);
    return new ConsumerRequest(
        who,
        "notes.demo",
        Optional.of("troupe/r/" + who.clientId() + "/resp"),
        ByteString.copyFromUtf8("corr"),
        ByteString.EMPTY,
        "",
        all,
        Optional.empty());
  }

  private Decision fetch(final String device, final Map<String, String> props) {
    return f.router.onRequest(fetch(device(device), props));
  }

  private static Decision.Answer answer(final Decision d) {
    assertThat(d).isInstanceOf(Decision.Answer.class);
    return (Decision.Answer) d;
  }

  @Test
  void fetch_goesToAHolder_asASyncTunnelRequest_withTheRangePassedThrough() {
    final Decision d = fetch("dev2", Map.of(SyncFetch.OFFSET, "100", SyncFetch.LENGTH, "4096"));

    assertThat(d).isInstanceOf(Decision.Forward.class);
    final Decision.Forward fw = (Decision.Forward) d;
    assertThat(fw.device()).isIn("dev1", "dev3");
    assertThat(fw.request().getMethod()).isEqualTo("SYNC");
    assertThat(fw.request().getPath()).isEqualTo(A);
    assertThat(fw.request().getPropertiesMap())
        .containsEntry(SyncFetch.OFFSET, "100")
        .containsEntry(SyncFetch.LENGTH, "4096");
    assertThat(counted).containsExactly("fetched");
  }

  @Test
  void theRequester_andTheServersItExcludes_areNeverTheSource_evenAPassiveOneIsUsed() {
    assertThat(((Decision.Forward) fetch("dev1", Map.of())).device()).isEqualTo("dev3");
    assertThat(((Decision.Forward) fetch("dev2", Map.of(SyncFetch.EXCLUDE, "dev1"))).device())
        .isEqualTo("dev3");
  }

  @Test
  void sourceAnswers503_theNextHolderIsTried_andItsAnswerNamesIt() {
    final Decision.Forward first = (Decision.Forward) fetch("dev2", Map.of());
    final String other = first.device().equals("dev1") ? "dev3" : "dev1";

    final List<Decision> next =
        f.router.onReply(
            device(first.device()),
            first.device(),
            first.requestId(),
            reply(first.requestId(), 503, "not held"));
    assertThat(next).singleElement().isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) next.get(0)).device()).isEqualTo(other);

    final Decision.Answer done =
        answer(
            f.router
                .onReply(
                    device(other), other, first.requestId(), reply(first.requestId(), 200, "A"))
                .get(0));
    assertThat(done.code()).isEqualTo(200);
    assertThat(done.body().toStringUtf8()).isEqualTo("A");
    assertThat(done.server()).contains(other);
    assertThat(counted).contains("bytes 1");
  }

  @Test
  void aConsumer_orAMemberThatDoesNotServe_is403() {
    f.join("dev4", "demo");
    assertThat(answer(f.router.onRequest(fetch(RouterFixture.consumer("c1"), Map.of()))).code())
        .isEqualTo(403);
    final Decision.Answer member = answer(fetch("dev4", Map.of()));
    assertThat(member.code()).isEqualTo(403);
    assertThat(member.reason()).isEqualTo("only servers of the service fetch its content");
    assertThat(counted).containsExactly("refused NOT_MEMBER", "refused NOT_MEMBER");
  }

  @Test
  void noPresentHolder_is404_andAMalformedHash400() {
    final String z = ContentNames.hex(SyncItems.sha("Z"));
    final Decision.Answer none = answer(fetch("dev2", Map.of(SyncFetch.ITEM, z)));
    assertThat(none.code()).isEqualTo(404);
    assertThat(none.reason()).isEqualTo("no member holds " + z);
    assertThat(answer(fetch("dev2", Map.of(SyncFetch.EXCLUDE, "dev1,dev3"))).code()).isEqualTo(404);
    assertThat(answer(fetch("dev2", Map.of(SyncFetch.ITEM, "abc"))).code()).isEqualTo(400);
    assertThat(counted).containsExactly("refused NO_SOURCE", "refused NO_SOURCE");
  }

  @Test
  void aHolderThatWentAway_isNotASource() {
    f.router.onDisconnected(device("dev3"), f.connectionOf("dev3"));
    assertThat(answer(fetch("dev1", Map.of())).code()).isEqualTo(404);
  }

  @Test
  void fetchesOfAService_areBounded_503Beyond_andFreedByTheAnswer() {
    f.router.configureSync(new SyncLimits(Duration.ofSeconds(30), 1));
    final Decision.Forward first = (Decision.Forward) fetch("dev2", Map.of());

    final Decision.Answer beyond = answer(fetch("dev2", Map.of()));
    assertThat(beyond.code()).isEqualTo(503);
    assertThat(beyond.reason()).isEqualTo("sync fetches of this service are at their limit; retry");
    assertThat(counted).contains("refused LIMIT");

    f.router.onReply(
        device(first.device()),
        first.device(),
        first.requestId(),
        reply(first.requestId(), 200, "A"));
    assertThat(fetch("dev2", Map.of())).isInstanceOf(Decision.Forward.class);
  }

  @Test
  void consumerPolicies_doNotCountSyncFetches() {
    final AccessPolicy.Builder tiny =
        AccessPolicy.newBuilder()
            .setScope(PolicyScope.GATEWAY)
            .setQuotaBytes(1)
            .setQuotaWindowSeconds(60);
    assertThat(f.api(AccessPolicyRoutingTest.ADMIN, AccessPolicyOpsTest.set(tiny)).getStatus())
        .isEqualTo(200);

    assertThat(answer(f.router.onRequest(RouterFixture.request("notes.demo"))).code())
        .isEqualTo(429);
    final Decision fetched = fetch("dev2", Map.of());
    assertThat(fetched).isInstanceOf(Decision.Forward.class);
    assertThat(((Decision.Forward) fetched).request().getMethod()).isEqualTo("SYNC");
  }

  @Test
  void bundle_goesOnlyToAServerHoldingEveryContent_withTheHashesAsItsPath() {
    report(f, "dev1", held("r1", item("a.txt", "A", 1, "r1", 1), item("b.txt", "B", 1, "r1", 1)));
    final String bundle = A + "," + ContentNames.hex(SyncItems.sha("B"));

    final Decision d = fetch("dev2", Map.of(SyncFetch.ITEM, bundle));

    assertThat(d).isInstanceOf(Decision.Forward.class);
    final Decision.Forward fw = (Decision.Forward) d;
    assertThat(fw.device()).as("dev3 holds A only").isEqualTo("dev1");
    assertThat(fw.request().getMethod()).isEqualTo("SYNC");
    assertThat(fw.request().getPath()).isEqualTo(bundle);
  }

  @Test
  void bundle_thatNoServerHoldsWhole_is404_andAMalformedOne400() {
    final String b = ContentNames.hex(SyncItems.sha("B"));
    final Decision.Answer none = answer(fetch("dev2", Map.of(SyncFetch.ITEM, A + "," + b)));
    assertThat(none.code()).isEqualTo(404);
    assertThat(none.reason()).isEqualTo("no member holds all 2 contents of the bundle");

    for (final String bad :
        List.of(
            A + ",",
            A + "," + A,
            A + ",abc",
            String.join(",", java.util.Collections.nCopies(SyncFetch.MAX_BUNDLE + 1, A)))) {
      assertThat(answer(fetch("dev2", Map.of(SyncFetch.ITEM, bad))).code()).as(bad).isEqualTo(400);
    }
    final List<String> many = new ArrayList<>();
    for (int i = 0; i < SyncFetch.MAX_BUNDLE + 1; i++) {
      many.add(ContentNames.hex(SyncItems.sha("x" + i)));
    }
    assertThat(answer(fetch("dev2", Map.of(SyncFetch.ITEM, String.join(",", many)))).code())
        .as("more than " + SyncFetch.MAX_BUNDLE + " contents")
        .isEqualTo(400);
    assertThat(counted).containsExactly("refused NO_SOURCE");
  }
}
