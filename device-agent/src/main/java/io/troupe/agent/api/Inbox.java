package io.troupe.agent.api;

import com.google.protobuf.InvalidProtocolBufferException;
import io.troupe.agent.internal.Incoming;
import io.troupe.agent.internal.RequestServer;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Control;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What arrives on the device's own topics, sorted: a forwarded request goes to the request server;
 * a control from the gateway answers a ping, or changes a membership's role, rule or newest
 * descriptor and the local serving, or asks the device to volunteer, and is then shown to the
 * application's control listener.
 */
final class Inbox {

  // the agent's own logger, as before this class was split from it
  private static final Logger log = LoggerFactory.getLogger(TroupeAgent.class);

  private final TroupeAgentBuilder settings;
  private final Topics topics;
  private final RequestServer server;
  private final Communities communities;
  private final LocalServing local;
  private final Volunteering volunteering;
  private final Supplier<CompletableFuture<Void>> publishStatus;
  private final SyncedContent content;

  Inbox(
      final TroupeAgentBuilder settings,
      final Topics topics,
      final RequestServer server,
      final Communities communities,
      final LocalServing local,
      final Volunteering volunteering,
      final Supplier<CompletableFuture<Void>> publishStatus,
      final SyncedContent content) {
    this.volunteering = volunteering;
    this.settings = settings;
    this.content = content;
    this.topics = topics;
    this.server = server;
    this.communities = communities;
    this.local = local;
    this.publishStatus = publishStatus;
  }

  void dispatch(final String topic, final Incoming message) {
    if (topic.equals(topics.deviceRequests(settings.deviceId))) {
      server.serve(message);
    } else if (topic.equals(topics.deviceControl(settings.deviceId))) {
      final Control control;
      try {
        control = Control.parseFrom(message.payload());
      } catch (final InvalidProtocolBufferException e) {
        log.warn("dropped a malformed control message [device: {}]", settings.deviceId);
        return;
      }
      if (control.hasPing()) {
        server.ping(control.getPing().getId());
        return;
      }
      log.info(
          "control from the gateway [device: {}, service: {}, directive: {}]",
          settings.deviceId,
          control.getAddress(),
          control.getDirectiveCase());
      communities
          .of(control)
          .ifPresent(
              m -> {
                if (m.applyRole(control)) {
                  publishStatus.get();
                }
                m.told().applyRule(control);
                if (m.told().applySync(control)) {
                  content.sync(control);
                }
                volunteering.asked(m, control);
              });
      local.apply(control);
      settings.controlListener.accept(control);
    }
  }
}
