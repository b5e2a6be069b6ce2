package io.troupe.agent.internal;

import java.util.concurrent.CompletableFuture;

/** Publishes QoS 1 messages; {@link MqttSession} in production, a list in tests. */
@FunctionalInterface
public interface Publisher {

  /** Completes on the PUBACK; fails with a {@code TroupeException} when refused or not sent. */
  CompletableFuture<Void> publish(Outgoing message);
}
