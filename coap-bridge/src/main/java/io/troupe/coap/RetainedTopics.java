package io.troupe.coap;

import io.troupe.contract.Topics;
import io.troupe.router.Directive;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jetbrains.annotations.Nullable;

/**
 * The observable retained messages, services' distribution lists and devices' statuses: one {@link
 * RetainedResource} per topic anyone has asked for, and the last payload retained on each, so that
 * a notification does not have to read the retained store. A topic the bridge has not seen change
 * is read from the {@link ServerListSource}.
 */
final class RetainedTopics {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  /** Marks a topic known to be cleared. */
  private static final Representation NONE = new Representation(new byte[0], () -> {});

  /**
   * How many resources are kept before the unobserved ones are dropped: any name anyone asks for
   * makes a resource before the request is authenticated, so they must not grow without bound.
   */
  static final int MAX_RESOURCES = 10_000;

  private final Topics topics;
  private final ServerListSource source;
  private final int maxResources;
  private final Map<String, RetainedResource> resources = new ConcurrentHashMap<>();
  private final Map<String, Representation> latest = new ConcurrentHashMap<>();
  private volatile Runnable encoded = () -> {};
  private volatile @Nullable ResourceFactory factory;

  RetainedTopics(final Topics topics, final ServerListSource source) {
    this(topics, source, MAX_RESOURCES);
  }

  /** As above, keeping at most about {@code maxResources} resources nobody observes. */
  RetainedTopics(final Topics topics, final ServerListSource source, final int maxResources) {
    this.topics = topics;
    this.source = source;
    this.maxResources = maxResources;
  }

  /** Tells {@code encoded} each time a representation other than the retained bytes is made. */
  void reportEncodingsTo(final Runnable encoded) {
    this.encoded = encoded;
  }

  /** Makes the resource of one topic. */
  interface ResourceFactory {
    RetainedResource create(
        String community, String name, String topic, RetainedResource.Kind kind);
  }

  void resourcesFrom(final ResourceFactory factory) {
    this.factory = factory;
  }

  /** The resource of a service's distribution list, or null when the names cannot name one. */
  @Nullable
  RetainedResource servers(final String community, final String service) {
    return resource(
        community,
        "servers",
        RetainedResource.Kind.SERVERS,
        () -> topics.servers(community, service));
  }

  /** The resource of a device's status in a community, or null when the names cannot name one. */
  @Nullable
  RetainedResource status(final String community, final String device) {
    return resource(
        community, device, RetainedResource.Kind.STATUS, () -> topics.status(community, device));
  }

  private @Nullable RetainedResource resource(
      final String community,
      final String name,
      final RetainedResource.Kind kind,
      final Supplier<String> topicOf) {
    final String topic;
    try {
      topic = topicOf.get();
    } catch (final IllegalArgumentException e) {
      return null; // not labels: no such resource
    }
    final ResourceFactory f = factory;
    if (f == null) {
      return null;
    }
    final RetainedResource known = resources.get(topic);
    if (known != null) {
      return known;
    }
    if (resources.size() >= maxResources) {
      // an unobserved resource holds nothing: the next request for it makes a new one
      resources.values().removeIf(r -> r.getObserverCount() == 0);
    }
    return resources.computeIfAbsent(topic, t -> f.create(community, name, topic, kind));
  }

  /** How many resources are kept now. */
  int size() {
    return resources.size();
  }

  /**
   * The current message retained on {@code topic}: the same representation for every observer until
   * the message changes.
   *
   * @throws IllegalStateException when it cannot be read in time
   */
  Optional<Representation> current(final String topic) {
    final Representation known = latest.get(topic);
    if (known != null) {
      return known == NONE ? Optional.empty() : Optional.of(known);
    }
    try {
      return source
          .retained(topic)
          .get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .map(p -> new Representation(p, encoded));
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read the retained message on " + topic, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + topic, e);
    }
  }

  /**
   * Takes note of a directive: a published list or status notifies its observers; a cleared topic
   * too.
   */
  void onDirective(final Directive directive) {
    if (directive instanceof Directive.PublishServers s) {
      onRetained(s.topic(), s.list().toByteArray());
    } else if (directive instanceof Directive.PublishStatus s) {
      onRetained(s.topic(), s.status().toByteArray());
    } else if (directive instanceof Directive.ClearRetained c) {
      final String filter = c.topicFilter();
      final String prefix = filter.endsWith("#") ? filter.substring(0, filter.length() - 1) : null;
      // every topic known, observed or only cached, so that no stale payload outlives a clear
      final Set<String> known = new HashSet<>(resources.keySet());
      known.addAll(latest.keySet());
      for (final String topic : known) {
        if (topic.equals(filter) || (prefix != null && topic.startsWith(prefix))) {
          latest.put(topic, NONE);
          notify(topic);
        }
      }
    }
  }

  /** A message was retained on {@code topic}, by the gateway or a client: observers are told. */
  void onRetained(final String topic, final byte[] payload) {
    latest.put(topic, payload.length == 0 ? NONE : new Representation(payload, encoded));
    notify(topic);
  }

  private void notify(final String topic) {
    final RetainedResource r = resources.get(topic);
    if (r != null) {
      r.changed();
    }
  }
}
