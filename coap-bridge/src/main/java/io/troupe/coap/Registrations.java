package io.troupe.coap;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.RegisterService;
import io.troupe.router.ApiResult;
import io.troupe.router.Decision;
import io.troupe.router.Departure;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices registered over CoAP: live presence, like MQTT sessions, never stored. A registration
 * joins the community (creating it, with the members the registration names, when it does not
 * exist: what {@code troupe agent --community C --member X} does) and registers the device as a
 * server of each service through the gateway API as the device itself (so the same membership rules
 * and limits apply), then tells the router the device connected; a lapsed lifetime or a removal
 * tells it the device disconnected.
 */
final class Registrations {

  private static final Logger log = LoggerFactory.getLogger(Registrations.class);

  /** Above any MQTT connection id, so that a CoAP registration never matches an MQTT session's. */
  private static final AtomicLong CONNECTIONS = new AtomicLong(1L << 62);

  private final GatewayRouter router;
  private final Consumer<Decision> decisions;
  private final Consumer<List<Directive>> directives;
  private final LongSupplier nanos;
  private final Map<String, Live> byDevice = new ConcurrentHashMap<>();

  /** A live registration. */
  record Live(
      Principal device,
      List<RegistrationForm.Link> links,
      InetSocketAddress base,
      long lifetimeSeconds,
      long expiresAtNanos,
      long connection) {

    /** The link of {@code service}, if the device registered it. */
    Optional<RegistrationForm.Link> link(final String service) {
      return links.stream().filter(l -> l.service().equals(service)).findFirst();
    }

    Live renewed(final long lifetime, final InetSocketAddress newBase, final long nowNanos) {
      return new Live(
          device,
          links,
          newBase,
          lifetime,
          nowNanos + TimeUnit.SECONDS.toNanos(lifetime),
          connection);
    }
  }

  /** A refusal by the gateway API, with its HTTP-style status and reason. */
  record Refusal(int status, String reason) {}

  Registrations(
      final GatewayRouter router,
      final Consumer<Decision> decisions,
      final Consumer<List<Directive>> directives,
      final LongSupplier nanos) {
    this.router = router;
    this.decisions = decisions;
    this.directives = directives;
    this.nanos = nanos;
  }

  /** The principal a device's registration acts as: the device's own session. */
  static Principal principal(final String device) {
    return new Principal(device, IdentityRole.DEVICE, device);
  }

  /**
   * Registers (or re-registers, replacing the earlier registration) {@code form} for {@code
   * device}, a device identity.
   *
   * @return empty when registered; the API's refusal otherwise (an earlier registration stays)
   */
  synchronized Optional<Refusal> register(
      final Principal device, final RegistrationForm.Registration form) {
    final Optional<Refusal> joined =
        api(
            device,
            GatewayRequest.newBuilder()
                .setJoinCommunity(
                    JoinCommunity.newBuilder()
                        .setCommunity(form.community())
                        .setCreateIfAbsent(true)
                        .setOpen(form.open())
                        .addAllMembers(form.members()))
                .build());
    if (joined.isPresent()) {
      return joined;
    }
    for (final RegistrationForm.Link link : form.links()) {
      final Optional<Refusal> registered =
          api(
              device,
              GatewayRequest.newBuilder()
                  .setRegisterService(
                      RegisterService.newBuilder()
                          .setCommunity(form.community())
                          .setService(link.service()))
                  .build());
      if (registered.isPresent()) {
        return registered;
      }
    }
    final Live earlier = byDevice.get(device.identity());
    final long connection = earlier == null ? CONNECTIONS.incrementAndGet() : earlier.connection();
    final long lifetime = form.lifetimeSeconds();
    byDevice.put(
        device.identity(),
        new Live(
            device,
            form.links(),
            form.base(),
            lifetime,
            nanos.getAsLong() + TimeUnit.SECONDS.toNanos(lifetime),
            connection));
    if (earlier == null) {
      router.onConnected(device, connection);
    }
    log.info(
        "device registered over CoAP [device: {}, base: {}, lifetime: {} s, services: {}]",
        device.identity(),
        RegistrationForm.describe(form.base()),
        lifetime,
        form.links().stream().map(RegistrationForm.Link::service).toList());
    return Optional.empty();
  }

  /**
   * Renews {@code device}'s registration, with a new lifetime or base when given.
   *
   * @return false when it has none (it lapsed or was removed: the device registers again)
   */
  synchronized boolean update(final String device, final RegistrationForm.Update update) {
    final Live live = byDevice.get(device);
    if (live == null) {
      return false;
    }
    byDevice.put(
        device,
        live.renewed(
            update.lifetimeSeconds().orElse(live.lifetimeSeconds()),
            update.base().orElse(live.base()),
            nanos.getAsLong()));
    return true;
  }

  /** Removes {@code device}'s registration: it goes offline. Returns false when it had none. */
  synchronized boolean remove(final String device) {
    final Live live = byDevice.remove(device);
    if (live == null) {
      return false;
    }
    depart(live, "removed");
    return true;
  }

  /** Removes every registration whose lifetime has lapsed. Never throws. */
  synchronized void expire() {
    final long now = nanos.getAsLong();
    for (final Live live : List.copyOf(byDevice.values())) {
      if (now - live.expiresAtNanos() >= 0) {
        try {
          byDevice.remove(live.device().identity());
          depart(live, "lifetime of " + live.lifetimeSeconds() + " s lapsed");
        } catch (final RuntimeException e) {
          log.error("could not end a registration [device: {}]", live.device().identity(), e);
        }
      }
    }
  }

  Optional<Live> get(final String device) {
    return Optional.ofNullable(byDevice.get(device));
  }

  /** Forgets every registration without telling the router: the gateway is stopping. */
  synchronized void clear() {
    byDevice.clear();
  }

  private void depart(final Live live, final String why) {
    log.info("device registration ended [device: {}, reason: {}]", live.device().identity(), why);
    final Departure departure = router.onDisconnected(live.device(), live.connection());
    departure.decisions().forEach(decisions);
    directives.accept(departure.directives());
  }

  private Optional<Refusal> api(final Principal device, final GatewayRequest request) {
    final ApiResult result = router.onApi(device, request.toByteString());
    directives.accept(result.directives());
    final GatewayResponse response = result.response();
    final int status = response.getStatus();
    return status >= 200 && status < 300
        ? Optional.empty()
        : Optional.of(new Refusal(status, response.getReason()));
  }
}
