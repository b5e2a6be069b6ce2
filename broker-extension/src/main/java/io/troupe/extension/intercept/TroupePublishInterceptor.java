package io.troupe.extension.intercept;

import com.google.protobuf.ByteString;
import com.hivemq.extension.sdk.api.async.Async;
import com.hivemq.extension.sdk.api.async.TimeoutFallback;
import com.hivemq.extension.sdk.api.interceptor.publish.PublishInboundInterceptor;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.UserProperty;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.PublishPacket;
import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;
import io.troupe.router.AccessControl;
import io.troupe.router.ApiResult;
import io.troupe.router.ConsumerRequest;
import io.troupe.router.Decision;
import io.troupe.router.DescriptorReport;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.StatusReport;
import io.troupe.router.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every PUBLISH of one authenticated client passes here first. Requests, API calls and device
 * replies are consumed (never delivered as they are) and handed to the router; a device's own
 * status and descriptors are checked and then delivered; anything else is refused with a PUBACK
 * reason code, and the client stays connected.
 */
public final class TroupePublishInterceptor implements PublishInboundInterceptor {

  private static final Logger log = LoggerFactory.getLogger(TroupePublishInterceptor.class);
  private static final long NO_EXPIRY = 4_294_967_295L;

  private final Principal who;
  private final Topics topics;
  private final GatewayRouter router;
  private final AccessControl access;
  private final Outbox outbox;
  private final Executor executor;

  public TroupePublishInterceptor(
      final Principal who,
      final Topics topics,
      final GatewayRouter router,
      final AccessControl access,
      final Outbox outbox,
      final Executor executor) {
    this.who = who;
    this.topics = topics;
    this.router = router;
    this.access = access;
    this.outbox = outbox;
    this.executor = executor;
  }

  @Override
  public void onInboundPublish(final PublishInboundInput input, final PublishInboundOutput output) {
    final PublishPacket packet = input.getPublishPacket();
    try {
      final TopicKind kind = canonical(packet.getTopic(), output);
      if (kind instanceof TopicKind.ServiceRequest r) {
        request(r.address(), packet, output);
      } else if (kind instanceof TopicKind.Invalid && isUnderRequests(packet.getTopic())) {
        // A malformed address still gets its 400 on the response topic, not only a PUBACK code.
        request(packet.getTopic().substring(requestPrefix().length()), packet, output);
      } else if (kind instanceof TopicKind.GatewayReply r) {
        final Verdict mayReply = router.mayReply(who, r.device());
        if (!mayReply.isAllowed()) {
          deliverIf(mayReply, packet, output);
          return;
        }
        final List<Decision> decisions =
            router.onReply(who, r.device(), correlation(packet), payload(packet));
        output.preventPublishDelivery();
        outbox.apply(decisions);
      } else if (kind instanceof TopicKind.GatewayApi) {
        api(packet, output);
      } else if (kind instanceof TopicKind.Status s) {
        final ByteString status = payload(packet);
        final StatusReport report = router.report(who, s.community(), s.device(), status);
        deliverIf(report.verdict(), packet, output);
        if (report.verdict().isAllowed() && packet.getRetain()) {
          outbox.retained(topics.status(s.community(), s.device()), status.toByteArray());
        }
        outbox.directives(report.directives());
        outbox.apply(report.decisions()); // requests held for a volunteer that go to a server now
      } else if (kind instanceof TopicKind.Descriptor d) {
        final DescriptorReport report =
            router.describe(who, d.community(), d.service(), d.device(), payload(packet));
        deliverIf(report.verdict(), packet, output);
        outbox.directives(report.directives());
      } else {
        deliverIf(access.mayPublishElsewhere(who, kind, packet.getTopic()), packet, output);
      }
    } catch (final RuntimeException e) {
      log.error(
          "could not handle a publish [client: {}, topic: {}]",
          who.clientId(),
          packet.getTopic(),
          e);
      output.preventPublishDelivery(
          AckReasonCode.UNSPECIFIED_ERROR, "500 the gateway could not handle this publish");
    }
  }

  /**
   * What {@code topic} is ({@link LowerCaseNames#classify}). A status or descriptor published under
   * names not in lower case is rewritten to the lower-case topic, so that its retained copy lies
   * where members subscribe.
   */
  private TopicKind canonical(final String topic, final PublishInboundOutput output) {
    final TopicKind kind = LowerCaseNames.classify(topics, topic);
    LowerCaseNames.topicOf(topics, kind)
        .filter(canonical -> !canonical.equals(topic))
        .ifPresent(canonical -> output.getPublishPacket().setTopic(canonical));
    return kind;
  }

  private void request(
      final String address, final PublishPacket packet, final PublishInboundOutput output) {
    final ConsumerRequest request =
        new ConsumerRequest(
            who,
            address,
            packet.getResponseTopic(),
            packet.getCorrelationData().map(ByteString::copyFrom).orElse(ByteString.EMPTY),
            payload(packet),
            packet.getContentType().orElse(""),
            userProperties(packet),
            packet
                .getMessageExpiryInterval()
                .filter(s -> s > 0 && s < NO_EXPIRY)
                .map(Duration::ofSeconds));
    final Decision decision = router.onRequest(request);
    if (decision instanceof Decision.Answer answer && answer.refusal().isPresent()) {
      final Status status = answer.refusal().get();
      output.preventPublishDelivery(
          ReasonCodes.puback(status), ReasonCodes.reason(status, answer.reason()));
    } else {
      output.preventPublishDelivery();
    }
    outbox.apply(decision);
  }

  private void api(final PublishPacket packet, final PublishInboundOutput output) {
    final Optional<String> responseTopic = packet.getResponseTopic();
    final Verdict answerable = access.answerableAt(who, responseTopic);
    if (!answerable.isAllowed()) {
      output.preventPublishDelivery(
          ReasonCodes.puback(answerable.status()),
          ReasonCodes.reason(answerable.status(), answerable.reason()));
      return;
    }
    final ByteString payload = payload(packet);
    final ByteBuffer correlation = packet.getCorrelationData().orElse(null);
    final Async<PublishInboundOutput> async =
        output.async(
            Duration.ofSeconds(30),
            TimeoutFallback.FAILURE,
            AckReasonCode.UNSPECIFIED_ERROR,
            "500 the API call timed out");
    executor.execute(
        () -> {
          try {
            final ApiResult result = router.onApi(who, payload);
            outbox.answerApi(
                who.clientId(),
                responseTopic.get(),
                correlation,
                result.response().toByteArray(),
                result.response().getStatus());
            outbox.directives(result.directives());
            output.preventPublishDelivery();
          } catch (final RuntimeException e) {
            log.error("API call failed [client: {}]", who.clientId(), e);
            output.preventPublishDelivery(
                AckReasonCode.UNSPECIFIED_ERROR, "500 the gateway could not handle the API call");
          } finally {
            async.resume();
          }
        });
  }

  private String requestPrefix() {
    return topics.root() + "/s/";
  }

  private boolean isUnderRequests(final String topic) {
    return topic.startsWith(requestPrefix());
  }

  private void deliverIf(
      final Verdict verdict, final PublishPacket packet, final PublishInboundOutput output) {
    if (!verdict.isAllowed()) {
      log.debug(
          "refused publish [client: {}, topic: {}, status: {}, reason: {}]",
          who.clientId(),
          packet.getTopic(),
          verdict.status().code(),
          verdict.reason());
      output.preventPublishDelivery(
          ReasonCodes.puback(verdict.status()),
          ReasonCodes.reason(verdict.status(), verdict.reason()));
    }
  }

  private static ByteString payload(final PublishPacket packet) {
    return packet.getPayload().map(ByteString::copyFrom).orElse(ByteString.EMPTY);
  }

  private static String correlation(final PublishPacket packet) {
    return packet.getCorrelationData().map(TroupePublishInterceptor::utf8).orElse("");
  }

  /** As {@code UTF_8.decode(b)}, without a decoder and a char buffer per reply. */
  private static String utf8(final ByteBuffer b) {
    final byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  private static Map<String, String> userProperties(final PublishPacket packet) {
    final Map<String, String> properties = new HashMap<>();
    for (final UserProperty p : packet.getUserProperties().asList()) {
      properties.put(p.getName(), p.getValue());
    }
    return properties;
  }
}
