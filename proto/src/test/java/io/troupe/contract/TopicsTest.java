package io.troupe.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicsTest {

  private final Topics topics = Topics.withDefaultRoot();

  @Test
  void build_thenClassify_roundTrips() {
    assertThat(topics.classify(topics.serviceRequest("echo.demo")))
        .isEqualTo(new TopicKind.ServiceRequest("echo.demo"));
    assertThat(topics.classify(topics.status("demo", "dev1")))
        .isEqualTo(new TopicKind.Status("demo", "dev1"));
    assertThat(topics.classify(topics.descriptor("demo", "echo", "dev1")))
        .isEqualTo(new TopicKind.Descriptor("demo", "echo", "dev1"));
    assertThat(topics.classify(topics.servers("demo", "echo")))
        .isEqualTo(new TopicKind.Servers("demo", "echo"));
    assertThat(topics.classify(topics.deviceRequests("dev1")))
        .isEqualTo(new TopicKind.DeviceInbox("dev1", "req"));
    assertThat(topics.classify(topics.gatewayReply("dev1")))
        .isEqualTo(new TopicKind.GatewayReply("dev1"));
    assertThat(topics.classify(topics.gatewayApi())).isEqualTo(new TopicKind.GatewayApi());
    assertThat(topics.classify(topics.response("mosq-X1", "a/b")))
        .isEqualTo(new TopicKind.ResponseNamespace("mosq-X1"));
    assertThat(topics.classify("elsewhere/x")).isEqualTo(new TopicKind.Foreign());
  }

  @Test
  void topics_followTheContract() {
    assertThat(topics.serviceRequest("echo.demo")).isEqualTo("troupe/s/echo.demo");
    assertThat(topics.status("demo", "dev1")).isEqualTo("troupe/c/demo/status/dev1");
    assertThat(topics.descriptor("demo", "echo", "dev1"))
        .isEqualTo("troupe/c/demo/svc/echo/descriptor/dev1");
    assertThat(topics.deviceInbox("dev1")).isEqualTo("troupe/d/dev1/#");
    assertThat(topics.responseFilter("c1")).isEqualTo("troupe/r/c1/#");
    assertThat(Topics.withRoot("acme/troupe").gatewayApi()).isEqualTo("acme/troupe/gw/api");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "troupe/s/",
        "troupe/s/Echo.demo",
        "troupe/s/echo..demo",
        "troupe/s/a/b",
        "troupe/c/demo/status",
        "troupe/gw/other",
        "troupe/x",
        "troupe/d/dev1"
      })
  void classify_malformed_isInvalidWithAReason(final String topic) {
    assertThat(topics.classify(topic))
        .isInstanceOfSatisfying(
            TopicKind.Invalid.class, i -> assertThat(i.reason()).contains(topic));
  }

  @Test
  void responseNamespace_isOnlyTheClientsOwn() {
    assertThat(topics.isInResponseNamespace("troupe/r/c1/resp", "c1")).isTrue();
    assertThat(topics.isInResponseNamespace("troupe/r/c1/", "c1")).isFalse();
    assertThat(topics.isInResponseNamespace("troupe/r/c10/resp", "c1")).isFalse();
    assertThat(topics.isInResponseNamespace("troupe/r/c1/#", "c1")).isFalse();
    assertThat(topics.isInResponseNamespace("troupe/d/c1/resp", "c1")).isFalse();
  }

  @Test
  void badNames_areRefusedWithTheInput() {
    assertThatThrownBy(() -> topics.status("Demo", "dev1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Demo'");
    assertThatThrownBy(() -> topics.responsePrefix("a/b")).hasMessageContaining("a/b");
    assertThatThrownBy(() -> Topics.withRoot("bad/#")).isInstanceOf(IllegalArgumentException.class);
    assertThat(Names.isAddress("weather.mobile.net")).isTrue();
    assertThat(Names.isAddress("-x.net")).isFalse();
  }
}
