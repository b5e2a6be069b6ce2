package io.troupe.agent.internal;

import io.troupe.agent.api.CallOptions;
import io.troupe.agent.api.CallResult;
import io.troupe.contract.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Pure mapping of a consumer's call to its MQTT 5 request, and of the answer to a result. */
public final class Calls {

  /** The response topic suffix of every call: answers are told apart by correlation data. */
  public static final String RESPONSE_SUFFIX = "call";

  /** How much longer than the call's timeout to wait, for the gateway's own 504 to arrive. */
  private static final Duration ANSWER_MARGIN = Duration.ofMillis(500);

  /** How long a refused request waits for its answer before the PUBACK's refusal stands. */
  private static final Duration REFUSAL_GRACE = Duration.ofSeconds(1);

  private Calls() {}

  /**
   * Calls {@code address} through the gateway as {@code clientId} over {@code session}: the
   * request, sent and answered, as a result.
   *
   * @throws IllegalArgumentException if {@code address} is not a service address
   */
  public static java.util.concurrent.CompletableFuture<CallResult> call(
      final MqttSession session,
      final Topics topics,
      final String clientId,
      final String address,
      final byte[] body,
      final CallOptions options) {
    final String lower = io.troupe.contract.Names.lowerCase(address);
    if (!io.troupe.contract.Names.isAddress(lower)) {
      throw new IllegalArgumentException(
          "not a service address such as echo.demo: '" + address + "'");
    }
    return session
        .request(
            request(topics, clientId, lower, body, options),
            options.timeout().plus(ANSWER_MARGIN),
            REFUSAL_GRACE)
        .thenApply(Calls::result);
  }

  /**
   * The request for {@code address}: to {@code {root}/s/{address}}, answered in the client's own
   * namespace, expiring with the call's timeout.
   *
   * @throws IllegalArgumentException if {@code address} is not a service address
   */
  public static Outgoing request(
      final Topics topics,
      final String clientId,
      final String address,
      final byte[] body,
      final CallOptions options) {
    final String lower = io.troupe.contract.Names.lowerCase(address);
    if (!io.troupe.contract.Names.isAddress(lower)) {
      throw new IllegalArgumentException(
          "not a service address such as echo.demo: '" + address + "'");
    }
    final Map<String, String> properties = new LinkedHashMap<>(options.userProperties());
    putIfGiven(properties, "method", options.method());
    putIfGiven(properties, "path", options.path());
    putIfGiven(properties, "session", options.session());
    return new Outgoing(
        topics.serviceRequest(lower),
        body,
        false,
        Optional.of(topics.response(clientId, RESPONSE_SUFFIX)),
        Optional.empty(),
        properties,
        options.contentType(),
        Optional.of(expirySeconds(options.timeout())));
  }

  /** The message expiry interval for a timeout: whole seconds rounded up, at least 1. */
  public static long expirySeconds(final Duration timeout) {
    final long millis = timeout.toMillis();
    return Math.max(1, millis / 1000 + (millis % 1000 == 0 ? 0 : 1));
  }

  /**
   * The result of an answer: its {@code status} user property (200 when absent, 502 when it is not
   * a number), {@code reason} and {@code server} when present, body and content type.
   */
  public static CallResult result(final Incoming answer) {
    final Map<String, String> p = answer.userProperties();
    final String statusText = p.get("status");
    int status = 200;
    Optional<String> reason = Optional.ofNullable(p.get("reason"));
    if (statusText != null) {
      try {
        status = Integer.parseInt(statusText.trim());
      } catch (final NumberFormatException e) {
        status = 502;
        reason = Optional.of("the answer's status is not a number: '" + statusText + "'");
      }
    }
    return new CallResult(
        status,
        reason,
        Optional.ofNullable(p.get("server")),
        answer.payload(),
        answer.contentType());
  }

  private static void putIfGiven(
      final Map<String, String> properties, final String key, final String value) {
    if (!value.isEmpty()) {
      properties.put(key, value);
    }
  }
}
