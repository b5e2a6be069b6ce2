package io.troupe.coap;

import io.troupe.contract.Topics;
import io.troupe.router.Directive;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jetbrains.annotations.Nullable;

/**
 * The observable distribution lists: one {@link ServersResource} per list anyone has asked for, and
 * the last payload the gateway published on each, so that a notification does not have to read the
 * retained store. A list the bridge has not seen published is read from the {@link
 * ServerListSource}.
 */
final class ServerLists {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(2);

  /** Marks a list known to be cleared. */
  private static final byte[] NONE = new byte[0];

  private final Topics topics;
  private final ServerListSource source;
  private final Map<String, ServersResource> resources = new ConcurrentHashMap<>();
  private final Map<String, byte[]> latest = new ConcurrentHashMap<>();
  private volatile @Nullable ResourceFactory factory;

  ServerLists(final Topics topics, final ServerListSource source) {
    this.topics = topics;
    this.source = source;
  }

  /** Makes the resource of one list. */
  interface ResourceFactory {
    ServersResource create(String community, String service, String topic);
  }

  void resourcesFrom(final ResourceFactory factory) {
    this.factory = factory;
  }

  /** The resource of a list, or null when the names cannot name one. */
  @Nullable
  ServersResource resource(final String community, final String service) {
    final String topic;
    try {
      topic = topics.servers(community, service);
    } catch (final IllegalArgumentException e) {
      return null;
    }
    final ResourceFactory f = factory;
    return f == null
        ? null
        : resources.computeIfAbsent(topic, t -> f.create(community, service, topic));
  }

  /**
   * The current payload of the list on {@code topic}.
   *
   * @throws IllegalStateException when it cannot be read in time
   */
  Optional<byte[]> current(final String topic) {
    final byte[] known = latest.get(topic);
    if (known != null) {
      return known == NONE ? Optional.empty() : Optional.of(known);
    }
    try {
      return source.retained(topic).get(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (final ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not read the retained list on " + topic, e);
    } catch (final InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted reading " + topic, e);
    }
  }

  /** Takes note of a directive: a published list notifies its observers; a cleared one too. */
  void onDirective(final Directive directive) {
    if (directive instanceof Directive.PublishServers s) {
      latest.put(s.topic(), s.list().toByteArray());
      notify(s.topic());
    } else if (directive instanceof Directive.ClearRetained c) {
      final String filter = c.topicFilter();
      final String prefix = filter.endsWith("#") ? filter.substring(0, filter.length() - 1) : null;
      for (final String topic : resources.keySet()) {
        if (topic.equals(filter) || (prefix != null && topic.startsWith(prefix))) {
          latest.put(topic, NONE);
          notify(topic);
        }
      }
    }
  }

  private void notify(final String topic) {
    final ServersResource r = resources.get(topic);
    if (r != null) {
      r.changed();
    }
  }
}
