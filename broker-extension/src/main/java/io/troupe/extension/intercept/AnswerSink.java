package io.troupe.extension.intercept;

import io.troupe.router.Decision;

/** Takes the answers meant for consumers that are not MQTT sessions (the CoAP bridge's). */
@FunctionalInterface
public interface AnswerSink {

  /**
   * Offers {@code answer}.
   *
   * @return true when the sink has taken it (it is then not published over MQTT)
   */
  boolean offer(Decision.Answer answer);
}
