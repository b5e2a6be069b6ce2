package io.troupe.it;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayResponse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * One principal's stream of fuzz publishes over its own connection: to the API, service addresses,
 * status, descriptor and reply topics, and anywhere under {@code troupe/}. One publish in eight is
 * QoS 1 and its PUBACK code counted; at most {@link #WINDOW} of those, and as many API calls and
 * answerable requests, are in flight at once. Counts every answer it gets by status.
 */
final class FuzzPublisher {

  private static final int WINDOW = 64;
  private static final List<String> KINDS =
      List.of("api", "request", "request", "status", "descriptor", "reply", "elsewhere");

  private record Acked(IMqttToken token, String kind, String topic, byte[] payload) {}

  private final String role;
  private final String identity;
  private final MqttTestClient client;
  private final FuzzMessages m;
  private final FuzzCounts counts;
  private final OnMessage callback;
  private final Deque<Acked> acks = new ArrayDeque<>();
  private final Semaphore apiWindow = new Semaphore(WINDOW);
  private final Semaphore requestWindow = new Semaphore(WINDOW);

  FuzzPublisher(
      final String role,
      final String identity,
      final MqttTestClient client,
      final long seed,
      final FuzzCounts counts)
      throws MqttException {
    this.role = role;
    this.identity = identity;
    this.client = client;
    this.m = new FuzzMessages(seed);
    this.counts = counts;
    this.callback = new OnMessage(this::answered);
    client.client.setCallback(callback);
    client.subscribe("troupe/r/" + client.clientId + "/#");
  }

  /** Sends {@code n} publishes and waits for every PUBACK. */
  void run(final int n) throws Exception {
    for (int i = 0; i < n; i++) {
      final String kind = m.pick(KINDS);
      try {
        publish(kind, i % 8 == 0);
      } catch (final IllegalArgumentException e) {
        counts.add("refused by paho: " + kind);
      }
      if (callback.lost != null) {
        throw new IllegalStateException(role + " was disconnected: " + callback.lost);
      }
    }
    while (!acks.isEmpty()) {
      ack(acks.poll());
    }
  }

  boolean isConnected() {
    return client.client.isConnected();
  }

  private void publish(final String kind, final boolean qos1) throws Exception {
    final MqttProperties p = new MqttProperties();
    final String me = client.clientId;
    final String topic;
    final byte[] payload;
    Semaphore window = null;
    switch (kind) {
      case "api" -> {
        payload = m.api();
        if (!role.equals("consumer") && writes(payload)) {
          counts.add("withheld: a valid API write as " + role);
          return;
        }
        topic = "troupe/gw/api";
        p.setResponseTopic("troupe/r/" + me + "/api");
        window = apiWindow;
      }
      case "request" -> {
        topic = "troupe/s/" + address();
        payload = m.chance(4) ? m.bytes() : m.utf8(m.text());
        final int where = m.random.nextInt(10);
        if (where < 6) {
          p.setResponseTopic("troupe/r/" + me + "/resp");
          window = requestWindow;
        } else if (where < 8) {
          p.setResponseTopic(
              m.chance(2) ? "troupe/r/other-" + m.label() + "/x" : "troupe/" + m.level());
        }
        if (m.chance(2)) {
          p.setMessageExpiryInterval(1L + m.random.nextInt(10));
        }
      }
      case "status" -> {
        final String device = device();
        topic = "troupe/c/" + community() + "/status/" + device;
        payload = m.status(device);
      }
      case "descriptor" -> {
        final String device = device();
        topic = "troupe/c/" + community() + "/svc/" + service() + "/descriptor/" + device;
        payload = m.descriptor(device);
      }
      case "reply" -> {
        topic = "troupe/gw/reply/" + m.pick(List.of(identity, "owner", m.level()));
        payload = m.reply();
      }
      default -> {
        topic = "troupe/" + elsewhere();
        payload = m.chance(2) ? m.bytes() : m.status(identity);
      }
    }
    properties(p);
    final int qos = qos1 ? 1 : 0;
    if (window != null && !window.tryAcquire(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(role + ": no answer to " + kind + " for 30 s");
    }
    try {
      final MqttMessage message = new MqttMessage(payload, qos, m.chance(4), p);
      final IMqttToken token = client.client.publish(topic, message);
      counts.add("sent " + kind);
      counts.add("sent as " + role);
      if (window != null) {
        counts.add("expect answer " + kind);
      }
      if (qos == 1) {
        acks.add(new Acked(token, kind, topic, payload));
        if (acks.size() > WINDOW) {
          ack(acks.poll());
        }
      }
    } catch (final IllegalArgumentException | MqttException e) {
      if (window != null) {
        window.release();
      }
      throw e;
    }
  }

  /** Random user properties, correlation data, content type and payload format. */
  private void properties(final MqttProperties p) {
    if (m.chance(2)) {
      p.setCorrelationData(m.chance(2) ? m.small() : m.utf8(m.label()));
    }
    final List<UserProperty> user = new ArrayList<>();
    for (int i = m.random.nextInt(4); i > 0; i--) {
      user.add(
          new UserProperty(
              m.pick(List.of("method", "path", "session", "status", m.level())), m.level()));
    }
    p.setUserProperties(user);
    if (m.chance(5)) {
      p.setContentType(m.level());
    }
  }

  private void ack(final Acked a) {
    int code;
    try {
      a.token().waitForCompletion(30_000);
      final int[] codes = a.token().getReasonCodes();
      code = codes == null || codes.length == 0 ? 0 : codes[0];
    } catch (final MqttException e) {
      code = e.getReasonCode();
    }
    counts.add(String.format("puback 0x%02x %s", code, a.kind()));
    final MqttProperties response = a.token().getResponseProperties();
    final String reason = response == null ? null : response.getReasonString();
    if (code == 0x80 && reason != null && reason.startsWith("500")) {
      counts.add("puback 500");
      counts.problem(role + " on " + a.topic() + ": " + reason + " payload " + hex(a.payload()));
    }
  }

  private void answered(final String topic, final MqttMessage message) {
    final boolean api = topic.endsWith("/api");
    String status = "none";
    for (final UserProperty u : message.getProperties().getUserProperties()) {
      if (u.getKey().equals("status")) {
        status = u.getValue();
      }
    }
    if (api) {
      try {
        status = String.valueOf(GatewayResponse.parseFrom(message.getPayload()).getStatus());
      } catch (final Exception e) {
        status = "unparseable";
      }
    }
    counts.add((api ? "answer api " : "answer request ") + status);
    if (status.equals("500")) {
      counts.problem(role + " got 500 on " + topic);
    }
    (api ? apiWindow : requestWindow).release();
  }

  /** Whether {@code payload} is a well-formed API call that could change the registry. */
  private static boolean writes(final byte[] payload) {
    try {
      final GatewayRequest.OperationCase op = GatewayRequest.parseFrom(payload).getOperationCase();
      return op != GatewayRequest.OperationCase.BROWSE_SERVICES
          && op != GatewayRequest.OperationCase.OPERATION_NOT_SET;
    } catch (final Exception e) {
      return false;
    }
  }

  private String address() {
    return switch (m.random.nextInt(5)) {
      case 0, 1 -> "echo.demo";
      case 2 -> m.pick(List.of("nothing.demo", "owner.echo.demo", "member.echo.demo"));
      case 3 -> m.label() + "." + m.label();
      default -> m.level();
    };
  }

  private String community() {
    return m.chance(2) ? m.pick(List.of("demo", "other")) : m.level();
  }

  private String service() {
    return m.chance(2) ? "echo" : m.level();
  }

  private String device() {
    return m.chance(2) ? identity : m.pick(List.of("owner", "member", m.label(), m.level()));
  }

  private String elsewhere() {
    return m.pick(
        List.of(
            "d/owner/req",
            "d/" + m.level(),
            "r/" + m.level() + "/x",
            "r/owner/resp",
            "c/demo/svc/echo/servers",
            "c/demo",
            "gw/" + m.level(),
            "s",
            m.level() + "/" + m.level(),
            m.level()));
  }

  static String hex(final byte[] b) {
    final StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(b.length, 256); i++) {
      s.append(String.format("%02x", b[i]));
    }
    return s + (b.length > 256 ? "… (" + b.length + " bytes)" : "");
  }
}
