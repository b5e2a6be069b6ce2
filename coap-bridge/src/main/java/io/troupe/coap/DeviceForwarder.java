package io.troupe.coap;

import io.troupe.proto.v1.TunnelResponse;
import io.troupe.router.Decision;
import io.troupe.router.GatewayRouter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.californium.core.coap.MessageObserverAdapter;
import org.eclipse.californium.core.coap.Request;
import org.eclipse.californium.core.coap.Response;
import org.eclipse.californium.core.coap.Token;
import org.eclipse.californium.core.config.CoapConfig;
import org.eclipse.californium.core.network.Endpoint;
import org.eclipse.californium.elements.AddressEndpointContext;
import org.eclipse.californium.elements.config.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries a forward to a device registered over CoAP: sends the request as a confirmable CoAP
 * request from an endpoint of its own, and hands the response to the router as the device's reply.
 * A request the device never acknowledges (Californium gives up retransmitting) is the forward's
 * timeout, reported at once so the router fails over without waiting for its own timer.
 *
 * <p>The retransmission budget follows the router's forward timeout: the first retransmission after
 * a tenth of it (at least 50 ms, at most 2 s, times up to 1.5 at random) and one retransmission, so
 * that Californium gives up after 30 to 45 % of it. A device that needs longer sends an empty ACK
 * first and its response separately (RFC 7252 §5.2.2); the router's timer still bounds it.
 */
final class DeviceForwarder {

  private static final Logger log = LoggerFactory.getLogger(DeviceForwarder.class);

  private final GatewayRouter router;
  private final Registrations registrations;
  private final Consumer<Decision> decisions;
  private final DeviceEndpoints endpoints;

  /**
   * @param bind the interface the requests to devices leave from
   * @param main the protocol stage its endpoints share with the bridge's
   * @param timers their timers, where an endpoint replaced for want of message IDs is scheduled to
   *     end
   */
  DeviceForwarder(
      final GatewayRouter router,
      final Registrations registrations,
      final Consumer<Decision> decisions,
      final Configuration server,
      final InetAddress bind,
      final ScheduledExecutorService main,
      final ScheduledExecutorService timers) {
    this.router = router;
    this.registrations = registrations;
    this.decisions = decisions;
    final Duration forward = router.config().forwardTimeout();
    // a replaced endpoint receives until the router has given up on what it sent
    this.endpoints =
        new DeviceEndpoints(
            clientConfiguration(server, forward), bind, forward.multipliedBy(2), main, timers);
  }

  static Configuration clientConfiguration(final Configuration server, final Duration forward) {
    final Configuration c = new Configuration(server);
    final long ack = Math.max(50, Math.min(2_000, forward.toMillis() / 10));
    c.set(CoapConfig.ACK_TIMEOUT, ack, TimeUnit.MILLISECONDS);
    c.set(CoapConfig.MAX_RETRANSMIT, 1);
    // message IDs are given out per device and not again within the exchange lifetime
    c.set(CoapConfig.MID_TRACKER, CoapConfig.TrackerMode.GROUPED);
    return c;
  }

  /** Binds the endpoint the requests to devices leave from (an ephemeral port of {@code bind}). */
  void start() throws java.io.IOException {
    endpoints.start();
  }

  /** Where the requests to devices leave from, while started. */
  Optional<InetSocketAddress> address() {
    return endpoints.address();
  }

  void stop() {
    endpoints.stop();
  }

  /**
   * Sends {@code forward} to its device when that device is registered over CoAP.
   *
   * @return whether it was such a device (the forward is then taken, even if sending fails, which
   *     counts as the forward's timeout); false leaves it to MQTT
   */
  boolean offer(final Decision.Forward forward) {
    final Optional<Registrations.Live> live = registrations.get(forward.device());
    if (live.isEmpty()) {
      return false;
    }
    final Optional<RegistrationForm.Link> link = live.get().link(forward.request().getService());
    if (link.isEmpty() || endpoints.address().isEmpty()) {
      unserved(forward);
      return true;
    }
    final Optional<Request> request =
        TunnelMapping.toCoap(forward.request(), live.get().base(), link.get().prefix());
    if (request.isEmpty()) {
      reply(
          forward,
          TunnelMapping.status(
              forward.requestId(),
              405,
              "method '" + forward.request().getMethod() + "' has no CoAP equivalent"));
      return true;
    }
    final Optional<Endpoint> e = endpoints.next();
    if (e.isEmpty()) {
      unserved(forward); // stopped meanwhile
      return true;
    }
    final AtomicBoolean done = new AtomicBoolean();
    request.get().addMessageObserver(new Outcome(forward, done));
    e.get().sendRequest(request.get());
    return true;
  }

  /**
   * Probes {@code device} with a CoAP ping (RFC 7252 §4.3: an empty confirmable message, which any
   * CoAP endpoint answers with a reset) in place of the gateway's ping {@code pingId}, which goes
   * out on MQTT and which a CoAP device never sees. The reset is the ping's answer; silence is left
   * to the router, which suspects a server whose ping goes unanswered within its forward timeout.
   *
   * @return whether {@code device} is registered over CoAP (then the ping is taken)
   */
  boolean ping(final String device, final String pingId) {
    final Optional<Registrations.Live> live = registrations.get(device);
    if (live.isEmpty()) {
      return false;
    }
    final Optional<Endpoint> e = endpoints.next();
    if (e.isEmpty()) {
      return true; // stopped: unanswered, as a device that is gone
    }
    final Request ping = Request.newPing();
    ping.setToken(Token.EMPTY);
    ping.setDestinationContext(new AddressEndpointContext(live.get().base()));
    ping.addMessageObserver(
        new MessageObserverAdapter() {
          @Override
          public void onReject() {
            reply(device, TunnelResponse.newBuilder().setRequestId(pingId).setStatus(200).build());
          }
        });
    e.get().sendRequest(ping);
    return true;
  }

  private void unserved(final Decision.Forward forward) {
    reply(
        forward,
        TunnelMapping.status(forward.requestId(), 503, "the device does not serve it over CoAP"));
  }

  /** The one conclusion of one forward: a response, or a timeout. */
  private final class Outcome extends MessageObserverAdapter {

    private final Decision.Forward forward;
    private final AtomicBoolean done;

    Outcome(final Decision.Forward forward, final AtomicBoolean done) {
      this.forward = forward;
      this.done = done;
    }

    @Override
    public void onResponse(final Response response) {
      if (done.compareAndSet(false, true)) {
        reply(forward, TunnelMapping.fromCoap(forward.requestId(), response));
      }
    }

    @Override
    public void onTimeout() {
      timedOut("no acknowledgement");
    }

    @Override
    public void onReject() {
      timedOut("rejected");
    }

    @Override
    public void onCancel() {
      timedOut("cancelled");
    }

    @Override
    protected void failed() {
      timedOut("failed");
    }

    private void timedOut(final String why) {
      if (done.compareAndSet(false, true)) {
        log.debug(
            "a CoAP forward concluded without a response [request: {}, device: {}, reason: {}]",
            forward.requestId(),
            forward.device(),
            why);
        apply(router.onForwardTimeout(forward.requestId(), forward.attempt()));
      }
    }
  }

  private void reply(final Decision.Forward forward, final TunnelResponse response) {
    reply(forward.device(), response);
  }

  /** {@code device}'s reply, as its own MQTT session would publish it on its reply topic. */
  private void reply(final String device, final TunnelResponse response) {
    apply(
        router.onReply(
            Registrations.principal(device),
            device,
            response.getRequestId(),
            response.toByteString()));
  }

  private void apply(final List<Decision> next) {
    next.forEach(decisions);
  }
}
