package io.troupe.agent.api;

import io.troupe.agent.internal.MqttSession;
import io.troupe.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jetbrains.annotations.NotNull;

/**
 * The settings every Troupe client shares, the agent's ({@link TroupeAgentBuilder}) and the
 * consumer's ({@link TroupeConsumer.Builder}): where the gateway is, its topic root, the password
 * and how long an API call may take. Every setter checks its input and throws {@link
 * IllegalArgumentException} (or {@link NullPointerException}) naming it.
 *
 * @param <B> the builder that the setters return, for chaining
 */
public abstract class TroupeClientBuilder<B extends TroupeClientBuilder<B>> {
  String host = "127.0.0.1";
  int port = 1883;
  String topicRoot = Topics.DEFAULT_ROOT;
  String password;
  Duration apiTimeout = Duration.ofSeconds(10);

  /** Only this package's builders extend it. */
  TroupeClientBuilder() {}

  /** This builder, as its own type. */
  abstract B self();

  /** The gateway's host; default {@code 127.0.0.1}. */
  public @NotNull B host(final @NotNull String value) {
    host = Objects.requireNonNull(value, "host");
    return self();
  }

  /** The gateway's MQTT port; default 1883. */
  public @NotNull B port(final int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + value);
    }
    port = value;
    return self();
  }

  /** The topic root; default {@code troupe}. */
  public @NotNull B topicRoot(final @NotNull String value) {
    Topics.withRoot(value);
    topicRoot = value;
    return self();
  }

  /** The identity's password. */
  public @NotNull B password(final @NotNull String value) {
    password = Objects.requireNonNull(value, "password");
    return self();
  }

  /** How long to wait for the gateway's answer to an API call; default 10 s. */
  public @NotNull B apiTimeout(final @NotNull Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("API timeout must be positive, got " + value);
    }
    apiTimeout = value;
    return self();
  }

  /** The MQTT session's settings: a clean start as {@code user} with this password. */
  MqttSession.Settings session(final String clientId, final String user) {
    return new MqttSession.Settings(
        host,
        port,
        clientId,
        Optional.of(user),
        Optional.of(password.getBytes(StandardCharsets.UTF_8)),
        true);
  }
}
