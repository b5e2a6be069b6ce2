package io.troupe.extension.intercept;

import io.troupe.router.Decision;

/** Takes the forwards to devices that are not MQTT sessions (those registered over CoAP). */
@FunctionalInterface
public interface ForwardSink {

  /**
   * Offers {@code forward}.
   *
   * @return true when the sink has taken it (it is then not published over MQTT)
   */
  boolean offer(Decision.Forward forward);
}
