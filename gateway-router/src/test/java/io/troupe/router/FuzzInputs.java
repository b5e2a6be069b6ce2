package io.troupe.router;

import com.google.protobuf.ByteString;
import io.troupe.contract.Names;
import io.troupe.proto.v1.IdentityRole;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The arguments of the router's entry points, seeded: principals, names, topics, consumer requests
 * and payloads, each now valid, now nearly valid, now garbage.
 */
public final class FuzzInputs {

  public static final Principal ADMIN = new Principal("admin", IdentityRole.ADMIN, "admin-cli");
  public static final Principal OWNER = RouterFixture.device("owner");
  public static final Principal MEMBER = RouterFixture.device("member");
  public static final Principal STRANGER = RouterFixture.device("mallory");
  public static final Principal CONSUMER = RouterFixture.consumer("c1");

  private static final List<Principal> KNOWN = List.of(ADMIN, OWNER, MEMBER, STRANGER, CONSUMER);
  private static final List<IdentityRole> ROLES =
      List.of(
          IdentityRole.CONSUMER,
          IdentityRole.DEVICE,
          IdentityRole.ADMIN,
          IdentityRole.IDENTITY_ROLE_UNSPECIFIED);

  private final FuzzBytes fuzz;
  private final List<ByteString> others;

  FuzzInputs(final FuzzBytes fuzz) {
    this.fuzz = fuzz;
    this.others =
        List.of(
            FuzzSeeds.API.get(0),
            FuzzSeeds.API.get(3),
            FuzzSeeds.status("owner"),
            FuzzSeeds.descriptor().toByteString(),
            FuzzSeeds.reply("r-1"));
  }

  /**
   * One of the known principals, or now and then any other that {@link Logins#login} could return:
   * a label for identity, a topic level for client id, a label for a device's.
   */
  Principal principal() {
    if (fuzz.chance(8)) {
      final String identity = fuzz.label();
      final IdentityRole role = fuzz.pick(ROLES);
      final String other = role == IdentityRole.DEVICE ? fuzz.label() : topicLevel();
      return new Principal(identity, role, fuzz.chance(2) ? identity : other);
    }
    return fuzz.pick(KNOWN);
  }

  private String topicLevel() {
    final String s = fuzz.string();
    return Names.isTopicLevel(s) ? s : fuzz.label();
  }

  String community() {
    return fuzz.chance(3) ? fuzz.pick(List.of("demo", "other")) : fuzz.string();
  }

  String service() {
    return fuzz.chance(2) ? "echo" : fuzz.string();
  }

  String device(final Principal who) {
    return switch (fuzz.below(5)) {
      case 0, 1 -> who.identity();
      case 2 -> fuzz.pick(List.of("owner", "member", "mallory"));
      default -> fuzz.string();
    };
  }

  String address() {
    return switch (fuzz.below(5)) {
      case 0, 1 -> "echo.demo";
      case 2 -> fuzz.pick(List.of("owner.echo.demo", "member.echo.demo", "nothing.demo"));
      case 3 -> fuzz.mutate(ByteString.copyFromUtf8("echo.demo"), List.of()).toStringUtf8();
      default -> fuzz.string();
    };
  }

  /** A topic the gateway classifies: each kind of the contract with odd levels, and junk. */
  String topic() {
    return switch (fuzz.below(8)) {
      case 0 -> "troupe/c/" + community() + "/status/" + device(principal());
      case 1 -> "troupe/c/" + community() + "/svc/" + service() + "/descriptor/" + fuzz.label();
      case 2 -> "troupe/c/" + community() + "/svc/" + service() + "/servers";
      case 3 -> "troupe/s/" + address();
      case 4 -> "troupe/gw/" + fuzz.pick(List.of("api", "reply/owner", "reply/", fuzz.string()));
      case 5 -> "troupe/" + fuzz.pick(List.of("d/", "r/", "")) + fuzz.string();
      case 6 -> fuzz.string() + "/" + fuzz.string();
      default -> fuzz.string();
    };
  }

  /** A subscription filter: wildcards where they may stand and where they may not. */
  String filter() {
    return fuzz.pick(
        List.of(
            "#",
            "+/+",
            "troupe/#",
            "troupe/+/" + fuzz.label() + "/#",
            "troupe/r/c1/#",
            "troupe/r/+/resp",
            "troupe/c/demo/svc/+/servers",
            "troupe/c/demo/status/+",
            "troupe/d/owner/#",
            "$share/g/troupe/r/c1/#",
            "troupe/c/#/x",
            "troupe/" + fuzz.string() + "#",
            topic()));
  }

  /** A consumer request with every field drawn at random, as MQTT 5 can carry it. */
  ConsumerRequest request() {
    final Principal who = principal();
    final Optional<String> responseTopic =
        switch (fuzz.below(7)) {
          case 0 -> Optional.empty();
          case 1 -> Optional.of(topic());
          case 2 -> Optional.of("troupe/r/" + fuzz.string() + "/x");
          default -> Optional.of("troupe/r/" + who.clientId() + "/resp");
        };
    final Map<String, String> properties = new HashMap<>();
    for (int i = fuzz.below(4); i > 0; i--) {
      properties.put(
          fuzz.pick(List.of("method", "path", "session", "reason", fuzz.string())), fuzz.string());
    }
    final Optional<Duration> expiry =
        fuzz.chance(2)
            ? Optional.empty()
            : Optional.of(Duration.ofSeconds(fuzz.chance(4) ? 4_294_967_294L : 1 + fuzz.below(30)));
    return new ConsumerRequest(
        who,
        address(),
        responseTopic,
        ByteString.copyFrom(fuzz.bytes()),
        ByteString.copyFrom(fuzz.chance(2) ? fuzz.bytes() : new byte[0]),
        fuzz.chance(2) ? "" : fuzz.string(),
        properties,
        expiry);
  }

  /** A {@code GatewayRequest}: random bytes, a valid one, or a damaged one. */
  ByteString api() {
    final ByteString seed = fuzz.chance(200) ? FuzzSeeds.ADD_IDENTITY : fuzz.pick(FuzzSeeds.API);
    return payload(seed);
  }

  /** Random bytes one time in five, {@code valid} one in ten, else {@code valid} damaged. */
  ByteString payload(final ByteString valid) {
    if (fuzz.chance(5)) {
      return ByteString.copyFrom(fuzz.bytes());
    }
    return fuzz.chance(9) ? valid : fuzz.mutate(valid, others);
  }

  Optional<String> maybe(final String value) {
    return fuzz.chance(10) ? Optional.empty() : Optional.of(value);
  }
}
