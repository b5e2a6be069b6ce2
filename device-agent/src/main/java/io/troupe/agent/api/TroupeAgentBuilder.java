package io.troupe.agent.api;

import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/** Settings of an agent. Device id, password, community and at least one service are required. */
public final class TroupeAgentBuilder {
  String host = "127.0.0.1";
  int port = 1883;
  String topicRoot = Topics.DEFAULT_ROOT;
  String deviceId;
  String password;
  String community;
  final Map<String, TroupeAgent.Service> services = new LinkedHashMap<>();
  Duration statusInterval = Duration.ofSeconds(5);
  Duration apiTimeout = Duration.ofSeconds(10);
  int maxRequestsInProgress;
  int handlerThreads = 8;
  Consumer<Control> controlListener = c -> {};

  TroupeAgentBuilder() {}

  public @NotNull TroupeAgentBuilder host(final @NotNull String value) {
    host = Objects.requireNonNull(value, "host");
    return this;
  }

  public @NotNull TroupeAgentBuilder port(final int value) {
    if (value < 1 || value > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, got " + value);
    }
    port = value;
    return this;
  }

  public @NotNull TroupeAgentBuilder topicRoot(final @NotNull String value) {
    Topics.withRoot(value);
    topicRoot = value;
    return this;
  }

  /** The device's id: its identity, user name and MQTT client id. */
  public @NotNull TroupeAgentBuilder deviceId(final @NotNull String value) {
    deviceId = Names.requireLabel(value, "device id");
    return this;
  }

  public @NotNull TroupeAgentBuilder password(final @NotNull String value) {
    password = Objects.requireNonNull(value, "password");
    return this;
  }

  public @NotNull TroupeAgentBuilder community(final @NotNull String value) {
    community = Names.requireLabel(value, "community");
    return this;
  }

  /** Serves {@code name} with {@code handler}. */
  public @NotNull TroupeAgentBuilder service(
      final @NotNull String name, final @NotNull ServiceHandler handler) {
    services.put(
        Names.requireLabel(name, "service"),
        new TroupeAgent.Service(Objects.requireNonNull(handler, "handler"), Optional.empty()));
    return this;
  }

  /** Serves {@code name} with {@code handler} and reports {@code descriptor} for it. */
  public @NotNull TroupeAgentBuilder service(
      final @NotNull String name,
      final @NotNull ServiceHandler handler,
      final @NotNull ServiceDescriptor descriptor) {
    services.put(
        Names.requireLabel(name, "service"),
        new TroupeAgent.Service(
            Objects.requireNonNull(handler, "handler"), Optional.of(descriptor)));
    return this;
  }

  public @NotNull TroupeAgentBuilder statusInterval(final @NotNull Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("status interval must be positive, got " + value);
    }
    statusInterval = value;
    return this;
  }

  public @NotNull TroupeAgentBuilder apiTimeout(final @NotNull Duration value) {
    apiTimeout = Objects.requireNonNull(value, "apiTimeout");
    return this;
  }

  /** The most requests this device takes at once; 0 (the default) means no limit. */
  public @NotNull TroupeAgentBuilder maxRequestsInProgress(final int value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxRequestsInProgress must not be negative");
    }
    maxRequestsInProgress = value;
    return this;
  }

  /** Threads that run handlers; 0 means as many as needed. */
  public @NotNull TroupeAgentBuilder handlerThreads(final int value) {
    handlerThreads = value;
    return this;
  }

  /** Receives the gateway's control directives. */
  public @NotNull TroupeAgentBuilder onControl(final @NotNull Consumer<Control> listener) {
    controlListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  public @NotNull TroupeAgent build() {
    if (deviceId == null || password == null || community == null) {
      throw new IllegalStateException("deviceId, password and community are required");
    }
    if (services.isEmpty()) {
      throw new IllegalStateException("an agent needs at least one service");
    }
    return new TroupeAgent(this);
  }
}
