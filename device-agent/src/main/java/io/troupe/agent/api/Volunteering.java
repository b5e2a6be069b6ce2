package io.troupe.agent.api;

import io.troupe.agent.internal.content.ItemSource;
import io.troupe.agent.internal.content.Reach;
import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device's side of volunteering (R16): asked by the gateway ({@code Control.volunteer}) to
 * serve a service it volunteers for, it registers the service with its share disabled, brings the
 * service's content store to the newest descriptor the gateway sent, and only then enables its
 * share and publishes its status, which is when the gateway forwards it the requests it held. Each
 * step is logged. Content that could not be fetched is logged and left to the next synchronisation:
 * the device serves what it has rather than nothing. A reach that fails as a whole leaves the share
 * disabled.
 */
final class Volunteering {

  private static final Logger log = LoggerFactory.getLogger(Volunteering.class);

  private final String deviceId;
  private final ItemSource items;
  private final Executor executor;

  /**
   * @param executor where the content store is scanned, never the MQTT client's thread
   */
  Volunteering(final String deviceId, final ItemSource items, final Executor executor) {
    this.deviceId = deviceId;
    this.items = items;
    this.executor = executor;
  }

  /** Acts on {@code control} when it asks this device to volunteer in {@code m}'s community. */
  void asked(final Membership m, final Control control) {
    if (!control.hasVolunteer()) {
      return;
    }
    final String service = control.getService();
    final Optional<CompletableFuture<Registration>> registering = m.registerVolunteer(service);
    if (registering.isEmpty()) {
      log.info(
          "asked to volunteer for {}, which this device does not volunteer for or serves already"
              + " [device: {}]",
          control.getAddress(),
          deviceId);
      return;
    }
    final ServiceDescriptor newest = control.getVolunteer().getNewest();
    log.info(
        "asked to volunteer for {}: registering [device: {}, sources: {}]",
        control.getAddress(),
        deviceId,
        control.getVolunteer().getSourcesList());
    registering
        .get()
        .thenComposeAsync(r -> reach(m, service, r, newest), executor)
        .thenCompose(
            ok -> {
              log.info("enabling {} as a volunteer [device: {}]", control.getAddress(), deviceId);
              return m.setServiceEnabled(service, true);
            })
        .whenComplete(
            (ok, error) -> {
              if (error == null) {
                log.info(
                    "available for {} as a volunteer [device: {}]", control.getAddress(), deviceId);
              } else {
                log.warn(
                    "could not volunteer for {} [device: {}]: {}",
                    control.getAddress(),
                    deviceId,
                    error.getMessage());
              }
            });
  }

  private CompletableFuture<Void> reach(
      final Membership m,
      final String service,
      final Registration r,
      final ServiceDescriptor newest) {
    final ContentStore store =
        m.storeOf(service)
            .orElseThrow(() -> new IllegalStateException("no content store for " + service));
    log.info(
        "registered {} as {}; fetching its content, version {} with {} items [device: {}]",
        r.address(),
        r.role(),
        newest.getVersion(),
        newest.getItemsCount(),
        deviceId);
    return Reach.reach(store, items, r.address(), newest)
        .thenAccept(
            outcome -> {
              if (outcome.failed().isEmpty()) {
                log.info(
                    "content of {} in place: {} fetched, {} deleted, {} adopted [device: {}]",
                    r.address(),
                    outcome.plan().fetch().size(),
                    outcome.plan().delete().size(),
                    outcome.plan().adopt().size(),
                    deviceId);
              } else {
                log.warn(
                    "content of {} in place but for {} [device: {}]",
                    r.address(),
                    outcome.failed(),
                    deviceId);
              }
            });
  }
}
