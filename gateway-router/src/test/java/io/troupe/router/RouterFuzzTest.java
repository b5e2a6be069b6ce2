package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.troupe.contract.TopicKind;
import io.troupe.proto.v1.BrowseServices;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.GatewayState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Issue 5's fuzz test, in process: over 100,000 random and damaged inputs to every entry point of
 * the router, as admin, owner, member, stranger, consumer and sessions no authenticator would let
 * in. No exception escapes, every request gets exactly one answer, and the saved state changes only
 * through an API call answered 2xx or an accepted descriptor. Reproduce a failure with the seed and
 * input number it names: {@code -Dtroupe.fuzz.seed=N}.
 */
class RouterFuzzTest {

  private static final long SEED = Long.getLong("troupe.fuzz.seed", 20_261_124L);
  private static final int SEGMENTS = 120;
  private static final int INPUTS_PER_SEGMENT = 1_000;
  private static final String ADMIN_PASSWORD = "fuzz-admin-password";
  private static final ByteString BROWSE =
      GatewayRequest.newBuilder()
          .setBrowseServices(BrowseServices.getDefaultInstance())
          .build()
          .toByteString();

  /**
   * Draws one seed per input, so that input N is the same on every run although the router's
   * request ids (random per router, and part of some payloads) are not.
   */
  private final Random master = new Random(SEED);

  private final FuzzBytes fuzz = new FuzzBytes(SEED);
  private final FuzzInputs in = new FuzzInputs(fuzz);
  private final Map<String, Integer> counts = new TreeMap<>();
  private final RequestLedger requests = new RequestLedger();
  private final Map<Integer, Integer> outcomes = new TreeMap<>();
  private RouterFixture f;
  private AccessControl access;
  private Supplier<String> current = () -> "";

  @Test
  void everyEntryPoint_randomAndDamagedInputs_neverThrow_andChangeStateOnlyWhenAccepted() {
    final long started = System.nanoTime();
    for (int segment = 0; segment < SEGMENTS; segment++) {
      f = demo();
      for (int i = 0; i < INPUTS_PER_SEGMENT; i++) {
        final int input = segment * INPUTS_PER_SEGMENT + i;
        if (i % 250 == 0) {
          reportIn();
        }
        try {
          one();
        } catch (final Throwable e) {
          throw new AssertionError(
              "input " + input + " of seed " + SEED + " failed: " + current.get(), e);
        }
      }
      current = () -> "draining the requests in flight";
      f.clock.advance(Duration.ofDays(365L * 200));
      requests.drain(f);
      assertThat(StateChange.between(f.store.load().orElseThrow(), f.router.snapshot()).isEmpty())
          .as("the store holds every accepted change, row for row (segment " + segment + ")")
          .isTrue();
    }
    final int total = counts.values().stream().mapToInt(Integer::intValue).sum();
    // The counts are the test's report; Surefire keeps them in its output file.
    System.out.printf(
        "router fuzz: %d inputs in %d ms, seed %d: %s; API answers by status: %s; %s%n",
        total, (System.nanoTime() - started) / 1_000_000, SEED, counts, outcomes, requests);
    assertThat(total).isGreaterThanOrEqualTo(100_000);
    assertThat(requests.answeredAny()).isTrue();
  }

  /** A community {@code demo} owned by {@code owner}, {@code member} in it, both serving echo. */
  private RouterFixture demo() {
    final RouterFixture fixture = new RouterFixture();
    fixture.router.addAdmin("admin", ADMIN_PASSWORD);
    fixture.register("owner", "demo", "echo");
    fixture.register("member", "demo", "echo");
    fixture.online("owner", "demo");
    fixture.online("member", "demo");
    requests.clearInFlight();
    access = new AccessControl(fixture.config.topics(), fixture.router::isMember);
    return fixture;
  }

  /**
   * The servers report in as live devices do, so that requests keep being forwarded; refused when a
   * valid input among the fuzz took them out of {@code demo}.
   */
  private void reportIn() {
    for (final Principal server : List.of(FuzzInputs.OWNER, FuzzInputs.MEMBER)) {
      f.router.onConnected(server, 100 + fuzz.below(1_000));
      f.router.report(server, "demo", server.identity(), FuzzSeeds.status(server.identity()));
    }
  }

  private void one() {
    current = () -> "drawing the next input";
    fuzz.random().setSeed(master.nextLong());
    final GatewayState before = f.store.load().orElseThrow();
    final int saves = f.store.saves;
    final boolean accepted;
    final int dice = fuzz.below(100);
    if (dice < 25) {
      accepted = api();
    } else if (dice < 37) {
      final Principal who = in.principal();
      final String device = in.device(who);
      final ByteString payload = in.payload(FuzzSeeds.status(device));
      count("report", () -> "as " + who + " for " + device + ": " + hex(payload));
      assertThat(f.router.report(who, in.community(), device, payload)).isNotNull();
      accepted = false;
    } else if (dice < 47) {
      accepted = descriptor();
    } else if (dice < 54) {
      final String topic = in.topic();
      count("checkWill", () -> "on '" + topic + "'");
      final TopicKind kind = f.config.topics().classify(topic);
      final Principal who = in.principal();
      final ByteString payload =
          in.payload(
              kind instanceof TopicKind.Status s
                  ? FuzzSeeds.status(s.device())
                  : FuzzSeeds.descriptor().toByteString());
      assertThat(f.router.checkWill(who, kind, payload)).isNotNull();
      accepted = false;
    } else if (dice < 74) {
      final ConsumerRequest request = in.request();
      count("onRequest", () -> request.toString());
      requests.take(f.router.onRequest(request));
      accepted = false;
    } else if (dice < 84) {
      reply();
      accepted = false;
    } else if (dice < 89) {
      timeout();
      accepted = false;
    } else if (dice < 92) {
      presence();
      accepted = false;
    } else if (dice < 96) {
      access();
      accepted = false;
    } else {
      accepted = authenticate();
    }
    if (!accepted) {
      assertThat(f.store.saves).as("saves").isEqualTo(saves);
      assertThat(f.store.load()).as("the saved state").contains(before);
    }
  }

  private boolean api() {
    final Principal who = in.principal();
    final ByteString payload = in.api();
    count("onApi", () -> "as " + who + ": " + hex(payload));
    final GatewayResponse browsed = browse();
    final ApiResult result = f.router.onApi(who, payload);
    final int status = result.response().getStatus();
    outcomes.merge(status, 1, Integer::sum);
    final boolean accepted = status >= 200 && status < 300;
    if (!accepted) {
      assertThat(result.directives()).isEmpty();
      assertThat(browse()).as("the registry after a refused call").isEqualTo(browsed);
    }
    return accepted;
  }

  private boolean descriptor() {
    final Principal who = in.principal();
    final String device = in.device(who);
    final ByteString payload = in.payload(FuzzSeeds.descriptor().toByteString());
    count("onDescriptor", () -> "as " + who + " for " + device + ": " + hex(payload));
    return f.router.onDescriptor(who, in.community(), in.service(), device, payload).isAllowed();
  }

  private void reply() {
    final Optional<Decision.Forward> to =
        requests.forwards.isEmpty() || fuzz.chance(4)
            ? Optional.empty()
            : Optional.of(requests.forwards.get(fuzz.below(requests.forwards.size())));
    final Principal who =
        to.isPresent() && fuzz.chance(2) ? RouterFixture.device(to.get().device()) : in.principal();
    final String device = to.map(Decision.Forward::device).orElseGet(() -> in.device(who));
    final String id =
        to.map(Decision.Forward::requestId)
            .filter(x -> !fuzz.chance(5))
            .orElseGet(() -> fuzz.chance(2) ? "" : fuzz.string());
    final ByteString payload = in.payload(FuzzSeeds.reply(id.isEmpty() ? fuzz.label() : id));
    count(
        "onReply", () -> "as " + who + " for " + device + ", request " + id + ": " + hex(payload));
    requests.take(f.router.onReply(who, device, id, payload));
  }

  private void timeout() {
    if (fuzz.chance(3)) {
      f.clock.advance(Duration.ofMillis(fuzz.below(1_500)));
    }
    if (requests.forwards.isEmpty() || fuzz.chance(4)) {
      count("onForwardTimeout", () -> "random");
      requests.take(f.router.onForwardTimeout(fuzz.string(), fuzz.below(5) - 1));
      return;
    }
    final Decision.Forward fw = requests.forwards.get(fuzz.below(requests.forwards.size()));
    count("onForwardTimeout", () -> fw.requestId() + " attempt " + fw.attempt());
    requests.take(f.router.onForwardTimeout(fw.requestId(), fw.attempt()));
  }

  private void presence() {
    final Principal who = in.principal();
    final long connection = fuzz.below(8);
    if (fuzz.chance(2)) {
      count("onConnected", () -> who + " #" + connection);
      f.router.onConnected(who, connection);
    } else {
      count("onDisconnected", () -> who + " #" + connection);
      final Departure gone = f.router.onDisconnected(who, connection);
      requests.take(gone.decisions());
      assertThat(gone.directives()).doesNotContainNull();
    }
  }

  /** What the authorizer and the interceptor ask of {@link AccessControl} for any topic. */
  private void access() {
    final Principal who = in.principal();
    final String topic = in.topic();
    final String filter = fuzz.chance(2) ? topic : in.filter();
    count("access", () -> "as " + who + " on '" + topic + "', filter '" + filter + "'");
    assertThat(access.maySubscribe(who, filter)).isNotNull();
    assertThat(access.mayPublishElsewhere(who, f.config.topics().classify(topic), topic))
        .isNotNull();
    assertThat(access.answerableAt(who, in.maybe(topic))).isNotNull();
  }

  /** A login; accepted when admitted with a client id new to it (a binding is then saved). */
  private boolean authenticate() {
    final String clientId = fuzz.chance(3) ? fuzz.label() : fuzz.string();
    final boolean admin = fuzz.chance(400);
    final Optional<String> user = in.maybe(admin ? "admin" : fuzz.string());
    final byte[] password =
        admin && fuzz.chance(2) ? ADMIN_PASSWORD.getBytes(StandardCharsets.UTF_8) : fuzz.bytes();
    count("authenticate", () -> "client '" + clientId + "', user " + user);
    final Logins logins =
        new Logins(
            f.router, LoginConfig.defaults().withHashIterations(1_000), f.clock, Runnable::run);
    final LoginResult result =
        logins
            .login(
                new LoginAttempt(
                    clientId,
                    user,
                    fuzz.chance(10) ? Optional.empty() : Optional.of(password),
                    "127.0.0." + fuzz.chance(2)))
            .join();
    if (!admin || !user.isPresent()) {
      assertThat(result.principal()).as("a stranger's credentials").isEmpty();
    }
    return result.isAdmitted() && result.newBinding();
  }

  private GatewayResponse browse() {
    return f.router.onApi(FuzzInputs.ADMIN, BROWSE).response();
  }

  /** Counts an input of {@code kind}; {@code what} describes it when it fails. */
  private void count(final String kind, final Supplier<String> what) {
    current = () -> kind + " " + what.get();
    counts.merge(kind, 1, Integer::sum);
  }

  private static String hex(final ByteString payload) {
    final StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(payload.size(), 512); i++) {
      s.append(String.format("%02x", payload.byteAt(i)));
    }
    return payload.size() > 512 ? s + "… (" + payload.size() + " bytes)" : s.toString();
  }
}
