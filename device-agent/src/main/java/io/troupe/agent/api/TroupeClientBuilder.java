package io.troupe.agent.api;

import io.troupe.agent.internal.MachineKeys;
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
  String key;
  java.nio.file.Path machineKeyFile;
  io.troupe.agent.mqtt.TlsSocketFactory tls;
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

  /**
   * Logs in by the identity's key instead of a password: MQTT 5 enhanced authentication ({@code
   * TROUPE-KEY-1}), where the key never crosses the wire. The key is the text {@code troupe
   * identity add --coap} or {@code troupe identity reset} printed (the same as the CoAP key).
   */
  public @NotNull B key(final @NotNull String value) {
    key = Objects.requireNonNull(value, "key");
    return self();
  }

  /**
   * With {@link #key}, logs in with this machine's Ed25519 key pair too ({@code TROUPE-MACHINE-1}),
   * kept in {@code file}, which is created readable by its owner only if it does not exist. The
   * first such login binds the identity to this machine: from then on it may log in only from here,
   * until it is reset.
   */
  public @NotNull B machineKey(final @NotNull java.nio.file.Path file) {
    machineKeyFile = Objects.requireNonNull(file, "file");
    return self();
  }

  /**
   * Connects over TLS with these sockets ({@link io.troupe.agent.mqtt.TlsSocketFactory#pinned} or
   * {@link io.troupe.agent.mqtt.TlsSocketFactory#trusting}): the port is then the gateway's TLS
   * port (8883 by default); a gateway whose certificate they do not trust is not connected to.
   */
  public @NotNull B tls(final @NotNull io.troupe.agent.mqtt.TlsSocketFactory sockets) {
    tls = Objects.requireNonNull(sockets, "sockets");
    return self();
  }

  /** Whether a password or a key was given. */
  boolean hasSecret() {
    return password != null || key != null;
  }

  /** How long to wait for the gateway's answer to an API call; default 10 s. */
  public @NotNull B apiTimeout(final @NotNull Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("API timeout must be positive, got " + value);
    }
    apiTimeout = value;
    return self();
  }

  /**
   * The MQTT session's settings: a clean start as {@code user} with this password, or by key.
   *
   * @throws IllegalStateException when the machine key file cannot be read or created
   */
  MqttSession.Settings session(final String clientId, final String user) {
    if (key == null) {
      return new MqttSession.Settings(
          host,
          port,
          clientId,
          Optional.of(user),
          Optional.of(password.getBytes(StandardCharsets.UTF_8)),
          true,
          Optional.empty(),
          Optional.ofNullable(tls));
    }
    final Optional<java.security.KeyPair> machine;
    try {
      machine =
          machineKeyFile == null
              ? Optional.empty()
              : Optional.of(MachineKeys.openOrCreate(machineKeyFile));
    } catch (final java.io.IOException e) {
      throw new IllegalStateException(
          "cannot read or create the machine key file " + machineKeyFile + ": " + e.getMessage(),
          e);
    }
    return new MqttSession.Settings(
        host,
        port,
        clientId,
        Optional.of(user),
        Optional.empty(),
        true,
        Optional.of(new MqttSession.KeyLogin(key, machine)),
        Optional.ofNullable(tls));
  }
}
