package io.troupe.it;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;

/**
 * CONNECTs with random client ids, credentials right and wrong, Wills on every kind of topic with
 * damaged payloads and random properties, and random user properties. A connection the gateway
 * accepts is closed at once, now and then asking the broker to publish its Will.
 */
final class ConnectFuzzer {

  private static final int DISCONNECT_WITH_WILL = 0x04;

  private final int port;
  private final Map<String, String> passwords;
  private final Set<String> liveClientIds;
  private final FuzzMessages m;
  private final FuzzCounts counts;

  ConnectFuzzer(
      final int port,
      final Map<String, String> passwords,
      final Set<String> liveClientIds,
      final long seed,
      final FuzzCounts counts) {
    this.port = port;
    this.passwords = Map.copyOf(passwords);
    this.liveClientIds = Set.copyOf(liveClientIds);
    this.m = new FuzzMessages(seed);
    this.counts = counts;
  }

  void run(final int n) {
    for (int i = 0; i < n; i++) {
      one();
    }
  }

  private void one() {
    final String user =
        m.chance(6) ? null : m.pick(List.of("admin", "member", "mallory", "carol", m.level()));
    final String password =
        user != null && passwords.containsKey(user) && m.chance(2)
            ? passwords.get(user)
            : m.chance(5) ? null : m.level();
    String clientId =
        m.pick(List.of("", m.label(), m.level(), "fuzz-" + m.label(), user == null ? "x" : user));
    if (liveClientIds.contains(clientId)) {
      clientId = "not-" + clientId;
    }
    final String willTopic = m.chance(2) ? willTopic(clientId) : null;
    try {
      final MqttTestClient c =
          MqttTestClient.connect(port, clientId, user, password, o -> options(o, willTopic));
      counts.add("connect accepted");
      final boolean keepWill = willTopic != null && willTopic.contains("/svc/echo/");
      if (willTopic != null && !keepWill && m.chance(2)) {
        c.client
            .disconnect(1_000, null, null, DISCONNECT_WITH_WILL, new MqttProperties())
            .waitForCompletion(5_000);
        counts.add("connect accepted, Will asked for");
      }
      c.close();
    } catch (final MqttException e) {
      counts.add(String.format("connect refused 0x%02x", e.getReasonCode()));
      if (e.getReasonCode() == 0x80) {
        counts.problem("CONNECT " + clientId + " / " + user + " / Will " + willTopic + ": " + e);
      }
    } catch (final IllegalArgumentException e) {
      counts.add("connect refused by paho");
    }
  }

  private String willTopic(final String clientId) {
    final String device = m.pick(List.of(clientId, "member", "owner", m.label()));
    return m.pick(
        List.of(
            "troupe/c/demo/status/" + device,
            "troupe/c/" + m.level() + "/status/" + device,
            "troupe/c/demo/svc/" + m.pick(List.of("echo", m.label())) + "/descriptor/" + device,
            "troupe/gw/api",
            "troupe/gw/reply/" + device,
            "troupe/s/echo.demo",
            "troupe/d/owner/req",
            "troupe/" + m.level()));
  }

  private void options(final MqttConnectionOptions o, final String willTopic) {
    o.setUserProperties(userProperties());
    if (m.chance(3)) {
      o.setSessionExpiryInterval((long) m.random.nextInt(100));
    }
    if (willTopic == null) {
      return;
    }
    final byte[] payload =
        willTopic.contains("/status/")
            ? m.status(willTopic.substring(willTopic.lastIndexOf('/') + 1))
            : willTopic.contains("/descriptor/") ? m.descriptor("member") : m.bytes();
    o.setWill(willTopic, new MqttMessage(payload, m.random.nextInt(3), m.chance(2), null));
    final MqttProperties will = new MqttProperties();
    will.setUserProperties(userProperties());
    if (m.chance(2)) {
      will.setMessageExpiryInterval((long) m.random.nextInt(60));
      will.setContentType(m.level());
    }
    if (m.chance(2)) {
      will.setResponseTopic("troupe/r/" + m.label() + "/x");
      will.setCorrelationData(m.small());
    }
    o.setWillMessageProperties(will);
  }

  private List<UserProperty> userProperties() {
    final List<UserProperty> list = new ArrayList<>();
    for (int i = m.random.nextInt(3); i > 0; i--) {
      list.add(new UserProperty(m.level(), m.level()));
    }
    return list;
  }
}
