package io.troupe.extension.auth;

import com.google.protobuf.ByteString;
import com.hivemq.extension.sdk.api.auth.PublishAuthorizer;
import com.hivemq.extension.sdk.api.auth.SubscriptionAuthorizer;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.PublishAuthorizerOutput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerInput;
import com.hivemq.extension.sdk.api.auth.parameter.SubscriptionAuthorizerOutput;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.subscribe.SubackReasonCode;
import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;
import io.troupe.extension.intercept.LowerCaseNames;
import io.troupe.router.AccessControl;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.Verdict;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes subscriptions, and the publishes that the interceptor let through: a device's own
 * status and descriptors. HiveMQ also asks it about the Will of a CONNECT, which no interceptor
 * sees: a Will gets exactly the checks of a live report (its own topic, a community it belongs to,
 * a well-formed payload within the limit), or the connection is refused with the reason. A refused
 * publish here disconnects the client (HiveMQ's rule), which is what a forged report deserves;
 * requests and API calls never get this far.
 */
public final class TroupeAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

  private static final Logger log = LoggerFactory.getLogger(TroupeAuthorizer.class);

  private final Topics topics;
  private final AccessControl access;
  private final GatewayRouter router;

  public TroupeAuthorizer(
      final Topics topics, final AccessControl access, final GatewayRouter router) {
    this.topics = topics;
    this.access = access;
    this.router = router;
  }

  @Override
  public void authorizeSubscribe(
      final SubscriptionAuthorizerInput input, final SubscriptionAuthorizerOutput output) {
    final String clientId = input.getClientInformation().getClientId();
    final Optional<Principal> who =
        Principals.of(input.getConnectionInformation().getConnectionAttributeStore(), clientId);
    if (who.isEmpty()) {
      output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, "not authenticated");
      return;
    }
    final String filter = input.getSubscription().getTopicFilter();
    final Verdict verdict = access.maySubscribe(who.get(), filter);
    if (verdict.isAllowed()) {
      output.authorizeSuccessfully();
    } else {
      log.debug(
          "refused subscription [client: {}, filter: {}, reason: {}]",
          clientId,
          filter,
          verdict.reason());
      output.failAuthorization(SubackReasonCode.NOT_AUTHORIZED, verdict.reason());
    }
  }

  @Override
  public void authorizePublish(
      final PublishAuthorizerInput input, final PublishAuthorizerOutput output) {
    final String clientId = input.getClientInformation().getClientId();
    final Optional<Principal> who =
        Principals.of(input.getConnectionInformation().getConnectionAttributeStore(), clientId);
    final String topic = input.getPublishPacket().getTopic();
    if (who.isEmpty()) {
      output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, "not authenticated");
      return;
    }
    final TopicKind kind = LowerCaseNames.classify(topics, topic);
    final boolean report = kind instanceof TopicKind.Status || kind instanceof TopicKind.Descriptor;
    final Verdict verdict =
        report
            ? router.checkWill(
                who.get(),
                kind,
                input
                    .getPublishPacket()
                    .getPayload()
                    .map(ByteString::copyFrom)
                    .orElse(ByteString.EMPTY))
            : access.mayPublishElsewhere(who.get(), kind, topic);
    if (verdict.isAllowed()) {
      output.authorizeSuccessfully();
    } else {
      log.debug(
          "refused publish [client: {}, topic: {}, reason: {}]", clientId, topic, verdict.reason());
      output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, verdict.reason());
    }
  }
}
