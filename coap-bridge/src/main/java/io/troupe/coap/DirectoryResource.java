package io.troupe.coap;

import io.troupe.proto.v1.IdentityRole;
import io.troupe.router.Logins;
import io.troupe.router.Principal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Predicate;
import org.eclipse.californium.core.CoapResource;
import org.eclipse.californium.core.coap.MediaTypeRegistry;
import org.eclipse.californium.core.server.resources.CoapExchange;
import org.eclipse.californium.core.server.resources.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /rd}: the registration resource of a CoRE Resource Directory (RFC 9176) for devices that
 * serve over CoAP. A POST registers ({@link RegistrationForm}) and answers 2.01 with Location-Path
 * {@code rd/{ep}}; a POST there without payload renews the lifetime (and may change {@code lt} and
 * {@code base}); a DELETE there ends the registration. Only the device itself, authenticated by its
 * DTLS PSK identity (or the identity plain CoAP acts as), may do any of it.
 */
final class DirectoryResource extends CoapResource {

  private static final Logger log = LoggerFactory.getLogger(DirectoryResource.class);
  static final String NAME = "rd";

  private final Registrations registrations;
  private final PeerIdentities peers;
  private final Predicate<InetSocketAddress> own;

  /**
   * @param own whether an address is one of the gateway's own CoAP endpoints, which no device may
   *     name as its base (the gateway would forward requests to itself)
   */
  DirectoryResource(
      final Registrations registrations,
      final PeerIdentities peers,
      final Predicate<InetSocketAddress> own) {
    super(NAME);
    this.registrations = registrations;
    this.peers = peers;
    this.own = own;
    getAttributes().addResourceType("core.rd");
  }

  @Override
  public Resource getChild(final String name) {
    // no registration is named with '/' (and Californium refuses it as a resource name)
    return name.contains("/") ? null : new Entry(name);
  }

  @Override
  public void handlePOST(final CoapExchange exchange) {
    try {
      final Optional<Principal> device = device(exchange);
      if (device.isEmpty()) {
        return;
      }
      final int format = exchange.getRequestOptions().getContentFormat();
      if (format != MediaTypeRegistry.UNDEFINED
          && format != MediaTypeRegistry.APPLICATION_LINK_FORMAT) {
        CoapCodes.respond(exchange, 415, "the payload must be application/link-format");
        return;
      }
      final InetSocketAddress source =
          exchange.advanced().getRequest().getSourceContext().getPeerAddress();
      final RegistrationForm.Registration form =
          RegistrationForm.registration(
              exchange.getRequestOptions().getUriQuery(),
              new String(exchange.getRequestPayload(), StandardCharsets.UTF_8),
              source);
      if (!form.endpoint().equals(device.get().identity())) {
        CoapCodes.respond(
            exchange,
            403,
            "ep must be the authenticated identity '" + device.get().identity() + "'");
        return;
      }
      final Optional<String> badBase = baseRefusal(form.base(), exchange);
      if (badBase.isPresent()) {
        CoapCodes.respond(exchange, 403, badBase.get());
        return;
      }
      final Optional<Registrations.Refusal> refused = registrations.register(device.get(), form);
      if (refused.isPresent()) {
        CoapCodes.respond(exchange, refused.get().status(), refused.get().reason());
        return;
      }
      exchange.setLocationPath(NAME + "/" + form.endpoint());
      CoapCodes.respond(exchange, 201);
    } catch (final RegistrationForm.Malformed e) {
      CoapCodes.respond(exchange, 400, e.getMessage());
    } catch (final RuntimeException e) {
      failed(exchange, e);
    }
  }

  /** {@code /rd/{ep}}: one device's registration. */
  private final class Entry extends CoapResource {

    Entry(final String name) {
      super(name, false);
    }

    @Override
    public void handlePOST(final CoapExchange exchange) {
      try {
        if (own(exchange).isEmpty()) {
          return;
        }
        if (exchange.getRequestPayload().length > 0) {
          CoapCodes.respond(
              exchange, 400, "an update carries no payload; register again to change the links");
          return;
        }
        final RegistrationForm.Update update =
            RegistrationForm.update(exchange.getRequestOptions().getUriQuery());
        final Optional<String> badBase = update.base().flatMap(b -> baseRefusal(b, exchange));
        if (badBase.isPresent()) {
          CoapCodes.respond(exchange, 403, badBase.get());
          return;
        }
        if (!registrations.update(getName(), update)) {
          CoapCodes.respond(
              exchange, 404, "no registration of '" + getName() + "': register again");
          return;
        }
        CoapCodes.respond(exchange, 204);
      } catch (final RegistrationForm.Malformed e) {
        CoapCodes.respond(exchange, 400, e.getMessage());
      } catch (final RuntimeException e) {
        failed(exchange, e);
      }
    }

    @Override
    public void handleDELETE(final CoapExchange exchange) {
      try {
        if (own(exchange).isEmpty()) {
          return;
        }
        if (!registrations.remove(getName())) {
          CoapCodes.respond(exchange, 404, "no registration of '" + getName() + "'");
          return;
        }
        CoapCodes.respond(exchange, 204);
      } catch (final RuntimeException e) {
        failed(exchange, e);
      }
    }

    private Optional<Principal> own(final CoapExchange exchange) {
      final Optional<Principal> device = device(exchange);
      if (device.isPresent() && !device.get().identity().equals(getName())) {
        CoapCodes.respond(exchange, 403, "only '" + getName() + "' may change its registration");
        return Optional.empty();
      }
      return device;
    }
  }

  /**
   * Why {@code base} may not be the base of the device {@code exchange} comes from, or empty when
   * it may. On plain CoAP, where anyone on the network can send from the device's address, the base
   * must be the very address and port the request came from: otherwise a registration could point
   * the gateway's requests at any other service of that host (127.0.0.1:53). Over DTLS the device
   * proved its identity, and serves plain CoAP on a port of its choosing.
   */
  private Optional<String> baseRefusal(final InetSocketAddress base, final CoapExchange exchange) {
    final InetSocketAddress source =
        exchange.advanced().getRequest().getSourceContext().getPeerAddress();
    if (!base.getAddress().equals(source.getAddress())) {
      return Optional.of(
          "base must be the address the registration came from, "
              + source.getAddress().getHostAddress());
    }
    if (peers.isPlain(exchange.advanced()) && base.getPort() != source.getPort()) {
      return Optional.of(
          "on plain CoAP, base must be the port the registration came from, " + source.getPort());
    }
    if (own.test(base)) {
      return Optional.of("base must not be one of the gateway's own CoAP endpoints");
    }
    return Optional.empty();
  }

  /** The device principal of the requester; answers 4.01 or 4.03 and returns empty otherwise. */
  private Optional<Principal> device(final CoapExchange exchange) {
    final Optional<Principal> known =
        peers.login(exchange, Logins.BRIDGED_CLIENT_PREFIX + "coap-rd");
    if (known.isEmpty()) {
      return Optional.empty();
    }
    if (known.get().role() != IdentityRole.DEVICE) {
      CoapCodes.respond(exchange, 403, "only device identities serve");
      return Optional.empty();
    }
    return Optional.of(Registrations.principal(known.get().identity()));
  }

  private static void failed(final CoapExchange exchange, final RuntimeException e) {
    log.error("could not handle a registration", e);
    CoapCodes.respond(exchange, 500, "the gateway could not handle this registration");
  }
}
