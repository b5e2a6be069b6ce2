package io.troupe.extension.auth;

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
import io.troupe.router.AccessControl;
import io.troupe.router.Principal;
import io.troupe.router.Verdict;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authorizes subscriptions, and the publishes that the interceptor let through: a device's own
 * status and descriptors, and the Will a device sets on its own status topic. Everything else is
 * refused with the reason. A refused publish here disconnects the client (HiveMQ's rule), which is
 * what a forged report deserves; requests and API calls never get this far.
 */
public final class TroupeAuthorizer implements PublishAuthorizer, SubscriptionAuthorizer {

  private static final Logger log = LoggerFactory.getLogger(TroupeAuthorizer.class);

  private final Topics topics;
  private final AccessControl access;

  public TroupeAuthorizer(final Topics topics, final AccessControl access) {
    this.topics = topics;
    this.access = access;
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
    final TopicKind kind = topics.classify(topic);
    final boolean ownReport =
        who.get().isDevice()
            && ((kind instanceof TopicKind.Status s && s.device().equals(who.get().identity()))
                || (kind instanceof TopicKind.Descriptor d
                    && d.device().equals(who.get().identity())));
    final Verdict verdict =
        ownReport ? Verdict.allowed() : access.mayPublishElsewhere(who.get(), kind, topic);
    if (verdict.isAllowed()) {
      output.authorizeSuccessfully();
    } else {
      log.info(
          "refused publish [client: {}, topic: {}, reason: {}]", clientId, topic, verdict.reason());
      output.failAuthorization(AckReasonCode.NOT_AUTHORIZED, verdict.reason());
    }
  }
}
