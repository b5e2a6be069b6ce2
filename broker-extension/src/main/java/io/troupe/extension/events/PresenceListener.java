package io.troupe.extension.events;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionAttributeStore;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import io.troupe.extension.auth.Principals;
import io.troupe.extension.intercept.Outbox;
import io.troupe.router.Departure;
import io.troupe.router.GatewayRouter;

/**
 * Tells the router when a session starts and ends. A device that drops (cleanly or not) has its
 * requests in flight sent to the next server at once, and the gateway publishes it offline.
 */
public final class PresenceListener implements ClientLifecycleEventListener {

  private final GatewayRouter router;
  private final Outbox outbox;

  public PresenceListener(final GatewayRouter router, final Outbox outbox) {
    this.router = router;
    this.outbox = outbox;
  }

  @Override
  public void onMqttConnectionStart(final ConnectionStartInput input) {}

  @Override
  public void onAuthenticationSuccessful(final AuthenticationSuccessfulInput input) {
    final ConnectionAttributeStore attributes =
        input.getConnectionInformation().getConnectionAttributeStore();
    Principals.of(attributes, input.getClientInformation().getClientId())
        .ifPresent(p -> router.onConnected(p, Principals.connectionId(attributes)));
  }

  @Override
  public void onDisconnect(final DisconnectEventInput input) {
    final ConnectionAttributeStore attributes =
        input.getConnectionInformation().getConnectionAttributeStore();
    Principals.of(attributes, input.getClientInformation().getClientId())
        .ifPresent(
            p -> {
              final Departure departure =
                  router.onDisconnected(p, Principals.connectionId(attributes));
              outbox.apply(departure.decisions());
              outbox.directives(departure.directives());
            });
  }
}
