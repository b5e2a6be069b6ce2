package io.troupe.extension.intercept;

import com.hivemq.extension.sdk.api.packets.general.Qos;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import com.hivemq.extension.sdk.api.services.builder.PublishBuilder;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import io.troupe.router.Decision;
import io.troupe.router.Directive;
import io.troupe.router.GatewayRouter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the router's decisions with HiveMQ's publish service: forwards a request to a device
 * and arms its timer, answers a consumer, publishes distribution lists and directives.
 */
public final class Outbox {

  private static final Logger log = LoggerFactory.getLogger(Outbox.class);

  private final GatewayRouter router;
  private final PublishService publishService;
  private final Housekeeping housekeeping;
  private volatile AnswerSink sink = answer -> false;
  private volatile ForwardSink forwardSink = forward -> false;
  private volatile Consumer<Directive> directiveListener = d -> {};
  private volatile BiConsumer<String, byte[]> retainedListener = (topic, payload) -> {};

  /** The forward timers of requests in flight, cancelled when a request is answered. */
  private final ForwardTimers timers;

  public Outbox(
      final GatewayRouter router,
      final PublishService publishService,
      final ScheduledExecutorService scheduler,
      final Housekeeping housekeeping) {
    this.router = router;
    this.publishService = publishService;
    this.timers =
        new ForwardTimers(scheduler, (id, attempt) -> apply(router.onForwardTimeout(id, attempt)));
    this.housekeeping = housekeeping;
  }

  /**
   * Hands every answer to {@code sink} first: an answer it takes (one for a client of another
   * protocol, such as a CoAP request) is not published over MQTT.
   */
  public void answerVia(final AnswerSink sink) {
    this.sink = java.util.Objects.requireNonNull(sink, "sink");
  }

  /**
   * Hands every forward to {@code sink} first: a forward it takes (one to a device registered over
   * another protocol, such as CoAP) is not published over MQTT; its timer is armed all the same.
   */
  public void forwardVia(final ForwardSink sink) {
    this.forwardSink = java.util.Objects.requireNonNull(sink, "sink");
  }

  /** Tells {@code listener} of every directive once it is carried out (published or cleared). */
  public void directivesTo(final Consumer<Directive> listener) {
    this.directiveListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** Tells {@code listener} of every status a client retained that the gateway let through. */
  public void retainedTo(final BiConsumer<String, byte[]> listener) {
    this.retainedListener = java.util.Objects.requireNonNull(listener, "listener");
  }

  /** A client's retained status was let through; never throws. */
  public void retained(final String topic, final byte[] payload) {
    try {
      retainedListener.accept(topic, payload);
    } catch (final RuntimeException e) {
      log.error("could not pass on a retained status [topic: {}]", topic, e);
    }
  }

  public void apply(final List<? extends Decision> decisions) {
    for (final Decision d : decisions) {
      apply(d);
    }
  }

  /** Carries out one decision; never throws, so a callback's terminal call stays its only one. */
  public void apply(final Decision decision) {
    try {
      if (decision instanceof Decision.Forward f) {
        forward(f);
      } else if (decision instanceof Decision.Wait w) {
        timers.arm(w.requestId(), w.attempt(), w.timeout().toMillis());
      } else if (decision instanceof Decision.Delay d) {
        // held by the consumer's bandwidth or for a volunteer (R16): the same timer forwards it
        // when it may go; a volunteer's ask goes out with it
        timers.arm(d.requestId(), d.attempt(), d.delay().toMillis());
        directives(d.directives());
      } else if (decision instanceof Decision.Answer a) {
        answer(a);
        directives(a.directives());
      }
    } catch (final RuntimeException e) {
      log.error("could not carry out a decision [request: {}]", decision.requestId(), e);
    }
  }

  /**
   * Publishes what changed with the passing of time (a status that timed out silently); never
   * throws, so that the schedule that calls it keeps running.
   */
  public void tick() {
    try {
      directives(router.onTick());
    } catch (final RuntimeException e) {
      log.error("could not check presence on the clock", e);
    }
  }

  /** Publishes distribution lists and sends control directives; never throws. */
  public void directives(final List<Directive> directives) {
    for (final Directive d : directives) {
      try {
        publish(d);
        directiveListener.accept(d);
      } catch (final RuntimeException e) {
        log.error("could not publish a directive [{}]", d, e);
      }
    }
  }

  private void publish(final Directive d) {
    if (d instanceof Directive.PublishServers s) {
      publishService.publish(
          Builders.publish()
              .topic(s.topic())
              .qos(Qos.AT_LEAST_ONCE)
              .retain(true)
              .payload(ByteBuffer.wrap(s.list().toByteArray()))
              .build());
    } else if (d instanceof Directive.PublishStatus s) {
      publishService.publish(
          Builders.publish()
              .topic(s.topic())
              .qos(Qos.AT_LEAST_ONCE)
              .retain(true)
              .payload(ByteBuffer.wrap(s.status().toByteArray()))
              .build());
    } else if (d instanceof Directive.ClearRetained c) {
      housekeeping.clearRetained(c.topicFilter());
    } else if (d instanceof Directive.Disconnect x) {
      housekeeping.disconnect(x.clientId(), x.reason());
    } else if (d instanceof Directive.SendControl c) {
      publishService.publishToClient(
          Builders.publish()
              .topic(c.topic())
              .qos(Qos.AT_LEAST_ONCE)
              .payload(ByteBuffer.wrap(c.control().toByteArray()))
              .build(),
          c.device());
    }
  }

  /** Publishes an answer to a gateway API request. */
  public void answerApi(
      final String clientId,
      final String responseTopic,
      final ByteBuffer correlation,
      final byte[] payload,
      final int status) {
    final PublishBuilder b =
        Builders.publish()
            .topic(responseTopic)
            .qos(Qos.AT_LEAST_ONCE)
            .payload(ByteBuffer.wrap(payload))
            .userProperty("status", Integer.toString(status));
    if (correlation != null) {
      b.correlationData(correlation);
    }
    publishService.publishToClient(b.build(), clientId);
  }

  private void forward(final Decision.Forward f) {
    // Armed first, so the timer also bounds a forward another protocol's sink takes.
    timers.arm(f.requestId(), f.attempt(), f.timeout().toMillis());
    if (forwardSink.offer(f)) {
      return;
    }
    // the request may be waited on past this attempt's timeout (Decision.Wait), up to the deadline
    final long deadlineMs = f.request().getDeadlineMs();
    final long untilMs =
        Math.max(
            f.timeout().toMillis(), deadlineMs > 0 ? deadlineMs - System.currentTimeMillis() : 0);
    final long expirySeconds = Math.max(1, (untilMs + 999) / 1000);
    publishService
        .publishToClient(
            Builders.publish()
                .topic(f.topic())
                .qos(Qos.AT_LEAST_ONCE)
                .responseTopic(f.replyTopic())
                .correlationData(ByteBuffer.wrap(f.requestId().getBytes(StandardCharsets.UTF_8)))
                .messageExpiryInterval(expirySeconds)
                .payload(ByteBuffer.wrap(f.request().toByteArray()))
                .build(),
            f.device())
        .whenComplete(
            (result, error) -> {
              if (error != null) {
                log.debug(
                    "forward failed [request: {}, device: {}]", f.requestId(), f.device(), error);
              }
            });
  }

  private void answer(final Decision.Answer a) {
    timers.cancel(a.requestId());
    if (sink.offer(a)) {
      return;
    }
    if (a.responseTopic().isEmpty()) {
      return;
    }
    final PublishBuilder b =
        Builders.publish()
            .topic(a.responseTopic().get())
            .qos(Qos.AT_LEAST_ONCE)
            .payload(a.body().asReadOnlyByteBuffer())
            .userProperty("status", Integer.toString(a.code()));
    if (!a.correlationData().isEmpty()) {
      b.correlationData(a.correlationData().asReadOnlyByteBuffer());
    }
    if (!a.contentType().isEmpty()) {
      b.contentType(a.contentType());
    }
    if (!a.reason().isEmpty()) {
      b.userProperty("reason", a.reason());
    }
    a.server().ifPresent(s -> b.userProperty("server", s));
    for (final Map.Entry<String, String> e : a.properties().entrySet()) {
      if (!e.getKey().equals("status")
          && !e.getKey().equals("server")
          && !e.getKey().equals("reason")) {
        b.userProperty(e.getKey(), e.getValue());
      }
    }
    publishService.publishToClient(b.build(), a.clientId());
  }
}
