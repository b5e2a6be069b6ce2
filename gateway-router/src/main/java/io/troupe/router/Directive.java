package io.troupe.router;

import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.DistributionList;
import java.util.Objects;

/** Something the gateway must publish as a consequence of a decision. */
public sealed interface Directive {

  /** Publish a service's distribution list, retained, on {@code topic}. */
  record PublishServers(String topic, DistributionList list) implements Directive {
    public PublishServers {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(list, "list");
    }
  }

  /** Send a device a control directive on {@code topic}. */
  record SendControl(String device, String topic, Control control) implements Directive {
    public SendControl {
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(control, "control");
    }
  }
}
