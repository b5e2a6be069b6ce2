package io.troupe.agent.api;

import io.troupe.contract.Names;
import io.troupe.proto.v1.AvailabilityCriteria;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.Metrics;
import io.troupe.proto.v1.ServiceDescriptor;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jetbrains.annotations.NotNull;

/**
 * Settings of a {@link TroupeAgent}. Device id, password, a community and at least one service are
 * required; everything else has a default. One agent serves several services in several communities
 * over one MQTT session: a service added with {@link #service(String, ServiceHandler)} is served in
 * every community, one added with {@link #serviceIn} in that community alone. Community and service
 * names are case-insensitive: they are lower-cased (as the gateway does). The connection settings
 * are {@link TroupeClientBuilder}'s. Every setter checks its input and throws {@link
 * IllegalArgumentException} (or {@link NullPointerException}) naming it.
 */
public final class TroupeAgentBuilder extends TroupeClientBuilder<TroupeAgentBuilder> {
  String deviceId;
  final Set<String> communities = new LinkedHashSet<>();
  final Set<String> members = new LinkedHashSet<>();
  boolean openCommunity;
  boolean installable;

  /** By {@link TroupeAgent.Service#key()}: a name may be served everywhere and pinned as well. */
  final Map<String, TroupeAgent.Service> services = new LinkedHashMap<>();

  /** Services this device volunteers for (R16), registered only when the gateway asks. */
  final Set<String> volunteers = new LinkedHashSet<>();

  Duration statusInterval = Duration.ofSeconds(5);
  int maxRequestsInProgress;
  int handlerThreads = 8;
  boolean warmUp = true;
  Executor handlerExecutor;
  Metrics metrics = Metrics.getDefaultInstance();
  Optional<AvailabilityCriteria> criteria = Optional.empty();
  Consumer<Control> controlListener = c -> {};

  /** The synchronised services' content stores, by service name. */
  final Map<String, ContentStore> contents = new LinkedHashMap<>();

  /** Where synchronised content is fetched from; null: the agent's own (through the gateway). */
  io.troupe.agent.internal.content.ItemSource itemSource;

  boolean passive;
  io.troupe.proto.v1.Anonymity anonymity = io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED;
  io.troupe.proto.v1.Anonymity serverAnonymity = io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED;
  io.troupe.proto.v1.Anonymity communityAnonymity =
      io.troupe.proto.v1.Anonymity.ANONYMITY_UNSPECIFIED;

  TroupeAgentBuilder() {}

  @Override
  TroupeAgentBuilder self() {
    return this;
  }

  /**
   * The device's id: its identity, MQTT user name and MQTT client id, all three the same. A DNS
   * label: lowercase letters, digits, inner hyphens.
   */
  public @NotNull TroupeAgentBuilder deviceId(final @NotNull String value) {
    deviceId = Names.requireLabel(value, "device id");
    return this;
  }

  /**
   * A community to join; created (with this device as its owner) if absent. Call again to join
   * more: every service added without a community is served in each of them.
   */
  public @NotNull TroupeAgentBuilder community(final @NotNull String value) {
    communities.add(name(value, "community"));
    return this;
  }

  /** Lower-cased (names are case-insensitive), then checked as a DNS label. */
  static String name(final String value, final String what) {
    Objects.requireNonNull(value, what);
    return Names.requireLabel(value.toLowerCase(Locale.ROOT), what);
  }

  /**
   * Marks the services this device serves installable (R18): the gateway's catalogue lists them,
   * and others may install and start them in communities of their own. Only a community's owner
   * decides it: in a community someone else owns this is ignored (with a warning), since the
   * gateway refuses such a descriptor. Default false.
   */
  public @NotNull TroupeAgentBuilder installable(final boolean value) {
    installable = value;
    return this;
  }

  /**
   * Identities that may join the community besides this device. Communities are closed: when this
   * device creates its community, only it and these may join; when it owns it already, these are
   * added to its list. Ignored in a community someone else owns.
   */
  public @NotNull TroupeAgentBuilder members(final @NotNull String... identities) {
    for (final String identity : identities) {
      members.add(Names.requireLabel(identity, "member identity"));
    }
    return this;
  }

  /**
   * Opens the community to any device identity when this device creates it. Communities are closed
   * unless their owner asks for this.
   */
  public @NotNull TroupeAgentBuilder openCommunity(final boolean value) {
    openCommunity = value;
    return this;
  }

  /**
   * Serves {@code name} with {@code handler} in every community of this agent; its descriptor is an
   * empty one of version 1.
   */
  public @NotNull TroupeAgentBuilder service(
      final @NotNull String name, final @NotNull ServiceHandler handler) {
    return add(Optional.empty(), name, handler, Optional.empty());
  }

  /**
   * Serves {@code name} with {@code handler} in every community of this agent and reports {@code
   * descriptor} for it (see {@link DirectoryHandler#descriptor(String)}).
   */
  public @NotNull TroupeAgentBuilder service(
      final @NotNull String name,
      final @NotNull ServiceHandler handler,
      final @NotNull ServiceDescriptor descriptor) {
    return add(
        Optional.empty(), name, handler, Optional.of(Objects.requireNonNull(descriptor, "d")));
  }

  /**
   * Serves {@code name} with {@code handler} in {@code community} only, which the agent joins (as
   * if given to {@link #community(String)}). In that community it takes the place of a service of
   * the same name added for every community.
   */
  public @NotNull TroupeAgentBuilder serviceIn(
      final @NotNull String community,
      final @NotNull String name,
      final @NotNull ServiceHandler handler) {
    return add(Optional.of(name(community, "community")), name, handler, Optional.empty());
  }

  /** {@link #serviceIn(String, String, ServiceHandler)} reporting {@code descriptor} for it. */
  public @NotNull TroupeAgentBuilder serviceIn(
      final @NotNull String community,
      final @NotNull String name,
      final @NotNull ServiceHandler handler,
      final @NotNull ServiceDescriptor descriptor) {
    return add(
        Optional.of(name(community, "community")),
        name,
        handler,
        Optional.of(Objects.requireNonNull(descriptor, "descriptor")));
  }

  private TroupeAgentBuilder add(
      final Optional<String> community,
      final String name,
      final ServiceHandler handler,
      final Optional<ServiceDescriptor> descriptor) {
    final TroupeAgent.Service s =
        new TroupeAgent.Service(
            name(name, "service"),
            community,
            Objects.requireNonNull(handler, "handler"),
            descriptor);
    services.put(s.key(), s);
    community.ifPresent(communities::add);
    return this;
  }

  /**
   * Volunteers for {@code service} (R16) instead of registering it at start: the device tells its
   * communities it would serve it, and when one formed from a directory group has no server left
   * that can answer, the gateway may ask it to. It then registers the service, brings its content
   * store to the service's newest descriptor, and only then enables its share, so that the first
   * request it gets finds the content. The service needs a handler ({@link #service}) and a {@link
   * #content content store}; {@link #build()} checks both.
   */
  public @NotNull TroupeAgentBuilder volunteer(final @NotNull String service) {
    volunteers.add(name(service, "service"));
    return this;
  }

  /**
   * The services served in each community, in the order the communities were given: a service
   * pinned to a community wins there over one of the same name served everywhere.
   */
  Map<String, Map<String, TroupeAgent.Service>> servicesByCommunity() {
    final Map<String, Map<String, TroupeAgent.Service>> by = new LinkedHashMap<>();
    for (final String community : communities) {
      final Map<String, TroupeAgent.Service> here = new LinkedHashMap<>();
      for (final TroupeAgent.Service s : services.values()) {
        if (s.community().isEmpty()) {
          here.putIfAbsent(s.name(), s);
        }
      }
      for (final TroupeAgent.Service s : services.values()) {
        if (s.community().filter(community::equals).isPresent()) {
          here.put(s.name(), s);
        }
      }
      by.put(community, here);
    }
    return by;
  }

  /**
   * Synchronises {@code service}'s content with its other servers (R3, R4) through {@code store},
   * which its handler should serve from (see {@link
   * DirectoryHandler#DirectoryHandler(ContentStore)} and {@link ContentStore#folder}). The
   * service's descriptor is then the store's items, each with its version vector (the dependencies
   * and settings of a descriptor given with the service are kept): published at registration, about
   * 200 ms after each change (the store is looked at every second, so files edited by hand count),
   * and every status interval. When the gateway tells this device of a newer merged descriptor, the
   * agent fetches what it lacks from other members, deletes what was deleted, and publishes again;
   * a conflict the merge reports is logged once (WARN). Changes made while offline (a passive
   * server serving itself, R17) are published on reconnection. In every community where the service
   * is served.
   */
  public @NotNull TroupeAgentBuilder content(
      final @NotNull String service, final @NotNull ContentStore store) {
    contents.put(name(service, "service"), Objects.requireNonNull(store, "store"));
    return this;
  }

  /** Fetches synchronised content through {@code source} instead of the agent's own (tests). */
  TroupeAgentBuilder itemSource(final io.troupe.agent.internal.content.ItemSource source) {
    itemSource = Objects.requireNonNull(source, "source");
    return this;
  }

  /** How often the status is published besides on every change; default 5 s. */
  public @NotNull TroupeAgentBuilder statusInterval(final @NotNull Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("status interval must be positive, got " + value);
    }
    statusInterval = value;
    return this;
  }

  /**
   * The most requests this device takes at once, reported in its status; a request beyond it is
   * answered 503 so the gateway tries another server. 0 (the default) means no limit.
   */
  public @NotNull TroupeAgentBuilder maxRequestsInProgress(final int value) {
    if (value < 0) {
      throw new IllegalArgumentException("maxRequestsInProgress must not be negative");
    }
    maxRequestsInProgress = value;
    return this;
  }

  /**
   * Whether {@link TroupeAgent#start()} warms the serving path before the device reports itself
   * available (default true): a synthetic request answered end to end, so that the first real one,
   * often a failover's, is not slowed by cold code. The application's handlers are not run.
   */
  public @NotNull TroupeAgentBuilder warmUp(final boolean value) {
    warmUp = value;
    return this;
  }

  /**
   * Threads of the agent's own handler pool (default 8); 0 means as many as needed. Ignored when a
   * {@link #handlerExecutor(Executor)} is given.
   */
  public @NotNull TroupeAgentBuilder handlerThreads(final int value) {
    if (value < 0) {
      throw new IllegalArgumentException("handlerThreads must not be negative");
    }
    handlerThreads = value;
    return this;
  }

  /**
   * Runs handlers on {@code executor} instead of the agent's own pool. The agent does not shut it
   * down. A rejected request is answered 503.
   */
  public @NotNull TroupeAgentBuilder handlerExecutor(final @NotNull Executor executor) {
    handlerExecutor = Objects.requireNonNull(executor, "executor");
    return this;
  }

  /**
   * The device's metrics to report at first (location, network type, battery, components…); see
   * {@link TroupeAgent#setMetrics(Metrics)}.
   */
  public @NotNull TroupeAgentBuilder metrics(final @NotNull Metrics value) {
    metrics = Objects.requireNonNull(value, "metrics");
    return this;
  }

  /** When and where this device serves (time windows, areas, network, battery…), reported. */
  public @NotNull TroupeAgentBuilder criteria(final @NotNull AvailabilityCriteria value) {
    criteria = Optional.of(value);
    return this;
  }

  /**
   * Receives the gateway's control directives (role assignments, sync, install-locally, policy and
   * rule updates), on the MQTT client's thread: return quickly. A role assignment has already
   * updated {@link TroupeAgent#registrations()} when the listener is called.
   */
  public @NotNull TroupeAgentBuilder onControl(final @NotNull Consumer<Control> listener) {
    controlListener = Objects.requireNonNull(listener, "listener");
    return this;
  }

  /**
   * Registers this device's services as a passive server (R17): it serves no one else, and when it
   * calls one of them ({@link TroupeAgent#call}) while no active server can answer, the gateway
   * tells it to serve its own calls locally. Default false.
   */
  public @NotNull TroupeAgentBuilder passive(final boolean value) {
    passive = value;
    return this;
  }

  /**
   * The anonymity this device asks for when its registration creates a service (R15): {@code
   * ANONYMOUS_TO_CONSUMERS} hides which server answered, {@code ANONYMOUS_TO_ALL} also shows the
   * other members pseudonyms. Default: the gateway's ({@code NAMED}).
   */
  public @NotNull TroupeAgentBuilder anonymity(final io.troupe.proto.v1.@NotNull Anonymity value) {
    anonymity = Objects.requireNonNull(value, "anonymity");
    return this;
  }

  /**
   * How anonymous this server asks to be in each service it serves, whatever the service's rule
   * (R15): {@code ANONYMOUS_TO_CONSUMERS} never names it to consumers, {@code ANONYMOUS_TO_ALL}
   * also shows the other members a pseudonym. The strictest of this, the rule's and the community's
   * applies. Default: as before ({@code NAMED} at first).
   */
  public @NotNull TroupeAgentBuilder serverAnonymity(
      final io.troupe.proto.v1.@NotNull Anonymity value) {
    serverAnonymity = Objects.requireNonNull(value, "serverAnonymity");
    return this;
  }

  /**
   * The least anonymity of every service in the community (R15), set when this device owns it (it
   * creates it, or owns it already); ignored in a community someone else owns. Default: as it is.
   */
  public @NotNull TroupeAgentBuilder communityAnonymity(
      final io.troupe.proto.v1.@NotNull Anonymity value) {
    communityAnonymity = Objects.requireNonNull(value, "communityAnonymity");
    return this;
  }

  /**
   * The agent, not yet connected: call {@link TroupeAgent#start()}.
   *
   * @throws IllegalStateException if the device id, password, community or every service is
   *     missing, a community has no service to serve, content is given for a service that is not
   *     served, or a volunteer service lacks its handler or content store
   */
  public @NotNull TroupeAgent build() {
    if (deviceId == null || !hasSecret() || communities.isEmpty()) {
      throw new IllegalStateException("deviceId, password (or key) and community are required");
    }
    if (services.isEmpty()) {
      throw new IllegalStateException("an agent needs at least one service");
    }
    final List<String> idle =
        servicesByCommunity().entrySet().stream()
            .filter(e -> e.getValue().isEmpty())
            .map(Map.Entry::getKey)
            .toList();
    final List<String> contentOnly =
        contents.keySet().stream()
            .filter(c -> services.values().stream().noneMatch(s -> s.name().equals(c)))
            .toList();
    if (!contentOnly.isEmpty()) {
      throw new IllegalStateException(
          "content given for " + String.join(", ", contentOnly) + ", which is not served");
    }
    if (!idle.isEmpty()) {
      throw new IllegalStateException(
          "no service to serve in " + String.join(", ", idle) + "; pin one with NAME@COMMUNITY");
    }
    for (final String v : volunteers) {
      if (services.values().stream().noneMatch(s -> s.name().equals(v))
          || !contents.containsKey(v)) {
        throw new IllegalStateException(
            "a volunteer service needs a handler and a content store: '" + v + "'");
      }
    }
    return new TroupeAgent(this);
  }
}
