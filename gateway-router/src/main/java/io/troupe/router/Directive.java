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

  /** Publish a device's status, retained, on {@code topic}: the gateway's word that it is gone. */
  record PublishStatus(String topic, io.troupe.proto.v1.StatusMessage status) implements Directive {
    public PublishStatus {
      Objects.requireNonNull(topic, "topic");
      Objects.requireNonNull(status, "status");
    }
  }

  /**
   * Clear the retained messages on {@code topicFilter}: one topic, or an MQTT filter with {@code +}
   * and {@code #}.
   */
  record ClearRetained(String topicFilter) implements Directive {
    public ClearRetained {
      Objects.requireNonNull(topicFilter, "topicFilter");
    }
  }

  /** End the session of {@code clientId} at once, with {@code reason}. */
  record Disconnect(String clientId, String reason) implements Directive {
    public Disconnect {
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(reason, "reason");
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
