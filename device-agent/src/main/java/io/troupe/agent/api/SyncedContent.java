package io.troupe.agent.api;

import io.troupe.agent.internal.content.ItemSource;
import io.troupe.agent.internal.content.SyncedService;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

/**
 * The agent's synchronised services ({@link TroupeAgentBuilder#content}), one {@link SyncedService}
 * each, and the one place that says what descriptor a synchronised service has and which sync
 * directives are for one. A service served in several communities publishes the same content in
 * each.
 */
final class SyncedContent implements AutoCloseable {

  private final Map<String, SyncedService> byService = new LinkedHashMap<>();

  /**
   * @param publish publishes the descriptor of a service (by name) where the device serves it
   */
  SyncedContent(
      final TroupeAgentBuilder settings,
      final ItemSource source,
      final ScheduledExecutorService executor,
      final Function<String, CompletableFuture<Void>> publish) {
    for (final Map.Entry<String, ContentStore> e : settings.contents.entrySet()) {
      final String service = e.getKey();
      byService.put(
          service,
          new SyncedService(
              service,
              e.getValue(),
              source,
              d -> publish.apply(service),
              executor,
              SyncedService.Timing.every(settings.statusInterval),
              System::currentTimeMillis));
    }
  }

  /** Counts what each store holds, then starts looking and publishing. */
  void start() {
    for (final Map.Entry<String, SyncedService> e : byService.entrySet()) {
      try {
        e.getValue().start();
      } catch (final IOException x) {
        throw new UncheckedIOException("cannot read the content of " + e.getKey(), x);
      }
    }
  }

  /**
   * The descriptor {@code service} publishes: {@code base}'s dependencies, settings and other
   * fields with the store's items, clocks and replica; empty when the service is not synchronised.
   */
  Optional<ServiceDescriptor> descriptor(
      final String service, final Optional<ServiceDescriptor> base) {
    final SyncedService synced = byService.get(service);
    if (synced == null) {
      return Optional.empty();
    }
    final ServiceDescriptor content = synced.descriptor();
    if (content == null) {
      return Optional.empty(); // not counted yet: the agent is starting
    }
    return Optional.of(
        base.orElse(ServiceDescriptor.getDefaultInstance()).toBuilder()
            .clearItems()
            .addAllItems(content.getItemsList())
            .setReplica(content.getReplica())
            .setVersion(content.getVersion())
            .setUpdatedAtMs(content.getUpdatedAtMs())
            .build());
  }

  /** A sync directive of the gateway for one of this device's registered services. */
  void sync(final Control control) {
    final SyncedService synced = byService.get(control.getService());
    if (synced != null && control.hasSync()) {
      synced.sync(control.getAddress(), control.getSync().getNewest());
    }
  }

  @Override
  public void close() {
    byService.values().forEach(SyncedService::close);
  }
}
