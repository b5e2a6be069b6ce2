package io.troupe.coap;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where the bridge reads a retained distribution list it has not seen published yet. */
@FunctionalInterface
public interface ServerListSource {

  /**
   * The retained payload on {@code topic}.
   *
   * @return a future of the payload, or of empty when nothing is retained there; it may fail when
   *     the store cannot be read (the observer then gets 5.03)
   */
  CompletableFuture<Optional<byte[]>> retained(String topic);
}
