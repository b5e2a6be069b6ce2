package io.troupe.extension.intercept;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.general.IterationCallback;
import com.hivemq.extension.sdk.api.services.general.IterationContext;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.publish.RetainedPublish;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tidies up after the router's decisions: clears the retained messages a device or a deleted
 * community left behind, and ends the sessions of a removed identity.
 */
public final class Housekeeping {

  private static final Logger log = LoggerFactory.getLogger(Housekeeping.class);

  private final RetainedMessageStore retained;
  private final ClientService clients;

  public Housekeeping(final RetainedMessageStore retained, final ClientService clients) {
    this.retained = retained;
    this.clients = clients;
  }

  /** Removes the retained message on a topic, or on every topic a filter matches. */
  public void clearRetained(final String topicFilter) {
    if (!topicFilter.contains("+") && !topicFilter.contains("#")) {
      retained.remove(topicFilter);
      return;
    }
    retained
        .iterateAllRetainedMessages(
            new IterationCallback<RetainedPublish>() {
              @Override
              public void iterate(final IterationContext context, final RetainedPublish publish) {
                if (matches(topicFilter, publish.getTopic())) {
                  retained.remove(publish.getTopic());
                }
              }
            })
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.warn("could not clear retained messages [filter: {}]", topicFilter, error);
              }
            });
  }

  /** Ends a client's session, telling it why. */
  public void disconnect(final String clientId, final String reason) {
    clients
        .disconnectClient(clientId, false, DisconnectReasonCode.NOT_AUTHORIZED, reason)
        .whenComplete(
            (done, error) -> {
              if (error != null) {
                log.warn("could not disconnect [client: {}]", clientId, error);
              } else {
                log.info("disconnected [client: {}, reason: {}]", clientId, reason);
              }
            });
  }

  /** Whether an MQTT topic filter matches a topic. */
  static boolean matches(final String filter, final String topic) {
    final String[] f = filter.split("/", -1);
    final String[] t = topic.split("/", -1);
    for (int i = 0; i < f.length; i++) {
      if (f[i].equals("#")) {
        return true;
      }
      if (i >= t.length || (!f[i].equals("+") && !f[i].equals(t[i]))) {
        return false;
      }
    }
    return f.length == t.length;
  }
}
