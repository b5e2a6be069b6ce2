package io.troupe.extension.intercept;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundInput;
import com.hivemq.extension.sdk.api.interceptor.publish.parameter.PublishInboundOutput;
import com.hivemq.extension.sdk.api.packets.general.ModifiableUserProperties;
import com.hivemq.extension.sdk.api.packets.publish.AckReasonCode;
import com.hivemq.extension.sdk.api.packets.publish.ModifiablePublishPacket;
import com.hivemq.extension.sdk.api.services.publish.PublishService;
import com.hivemq.extension.sdk.api.services.publish.RetainedMessageStore;
import com.hivemq.extension.sdk.api.services.session.ClientService;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.GatewayState;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.StatusMessage;
import io.troupe.router.AccessControl;
import io.troupe.router.GatewayRouter;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.StateStore;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

/** The interceptor makes exactly one terminal call, with the right reason code, per publish. */
class TroupePublishInterceptorTest {

  private final Topics topics = Topics.withDefaultRoot();
  private final GatewayRouter router =
      new GatewayRouter(
          RouterConfig.defaults(),
          Clock.systemUTC(),
          new StateStore() {
            @Override
            public Optional<GatewayState> load() {
              return Optional.empty();
            }

            @Override
            public void write(final io.troupe.router.StateChange change) {}
          });
  private final PublishService publishService = mock(PublishService.class);
  private final Outbox outbox =
      new Outbox(
          router,
          publishService,
          mock(ScheduledExecutorService.class),
          new Housekeeping(mock(RetainedMessageStore.class), mock(ClientService.class)));
  private final Principal consumer = new Principal("alice", IdentityRole.CONSUMER, "c1");
  private final PublishInboundOutput output = mock(PublishInboundOutput.class);
  private boolean retain;

  private void publish(
      final Principal who,
      final String topic,
      final Optional<String> responseTopic,
      final byte[] payload) {
    final ModifiablePublishPacket packet = mock(ModifiablePublishPacket.class);
    when(packet.getTopic()).thenReturn(topic);
    when(packet.getResponseTopic()).thenReturn(responseTopic);
    when(packet.getCorrelationData()).thenReturn(Optional.empty());
    when(packet.getPayload()).thenReturn(Optional.of(ByteBuffer.wrap(payload)));
    when(packet.getContentType()).thenReturn(Optional.empty());
    when(packet.getMessageExpiryInterval()).thenReturn(Optional.empty());
    when(packet.getRetain()).thenReturn(retain);
    final ModifiableUserProperties properties = mock(ModifiableUserProperties.class);
    when(properties.asList()).thenReturn(List.of());
    when(packet.getUserProperties()).thenReturn(properties);
    final PublishInboundInput input = mock(PublishInboundInput.class);
    when(input.getPublishPacket()).thenReturn(packet);
    when(output.getPublishPacket()).thenReturn(packet);
    new TroupePublishInterceptor(
            who, topics, router, new AccessControl(topics, router::isMember), outbox, Runnable::run)
        .onInboundPublish(input, output);
  }

  @Test
  void request_withoutResponseTopic_isRefusedWith400InThePuback() {
    publish(consumer, "troupe/s/echo.demo", Optional.empty(), new byte[0]);
    verify(output)
        .preventPublishDelivery(eq(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR), contains("400"));
    verify(publishService, never()).publishToClient(any(), anyString());
  }

  @Test
  void request_withResponseTopicOfAnotherClient_isRefusedWith403AndNeverAnsweredThere() {
    publish(consumer, "troupe/s/echo.demo", Optional.of("troupe/r/c2/resp"), new byte[0]);
    verify(output)
        .preventPublishDelivery(eq(AckReasonCode.NOT_AUTHORIZED), contains("troupe/r/c1/"));
    verify(publishService, never()).publishToClient(any(), anyString());
    verify(publishService, never()).publish(any());
  }

  @Test
  void publishToADeviceInbox_isRefusedAndNotDelivered() {
    publish(consumer, "troupe/d/dev1/req", Optional.empty(), new byte[0]);
    verify(output)
        .preventPublishDelivery(eq(AckReasonCode.NOT_AUTHORIZED), contains("troupe/d/dev1/req"));
  }

  @Test
  void statusOfADevice_fromAConsumer_isRefused() {
    publish(consumer, "troupe/c/demo/status/dev1", Optional.empty(), new byte[0]);
    verify(output).preventPublishDelivery(eq(AckReasonCode.NOT_AUTHORIZED), contains("403"));
  }

  @Test
  void retainedStatus_reachesTheRetainedListener_onlyWhenLetThrough() {
    // given a device of community demo, and a listener as the CoAP bridge sets
    final Principal device = new Principal("dev1", IdentityRole.DEVICE, "dev1");
    router.onApi(
        device,
        GatewayRequest.newBuilder()
            .setJoinCommunity(
                JoinCommunity.newBuilder().setCommunity("demo").setCreateIfAbsent(true))
            .build()
            .toByteString());
    final List<String> passed = new ArrayList<>();
    outbox.retainedTo((topic, payload) -> passed.add(topic));
    final byte[] status =
        StatusMessage.newBuilder()
            .setDeviceId("dev1")
            .setAvailability(Availability.AVAILABLE)
            .build()
            .toByteArray();
    retain = true;
    // when someone else publishes it, then nothing is passed on
    publish(consumer, "troupe/c/demo/status/dev1", Optional.empty(), status);
    assertThat(passed).isEmpty();
    // when the device does, then its topic is
    publish(device, "troupe/c/demo/status/dev1", Optional.empty(), status);
    assertThat(passed).containsExactly("troupe/c/demo/status/dev1");
  }

  @Test
  void replyFromAConsumer_isRefusedWith0x87AndGoesNowhere() {
    publish(consumer, "troupe/gw/reply/dev1", Optional.empty(), new byte[] {1, 2});
    verify(output, times(1))
        .preventPublishDelivery(eq(AckReasonCode.NOT_AUTHORIZED), contains("403"));
    verify(publishService, never()).publishToClient(any(), anyString());
  }

  @Test
  void replyOfAnotherDevice_isRefusedWith0x87() {
    publish(
        new Principal("dev2", IdentityRole.DEVICE, "dev2"),
        "troupe/gw/reply/dev1",
        Optional.empty(),
        new byte[] {1, 2});
    verify(output, times(1))
        .preventPublishDelivery(
            eq(AckReasonCode.NOT_AUTHORIZED), contains("reply topic of 'dev1'"));
  }

  @Test
  void requestToAMalformedAddress_isRefusedWith400NotDelivered() {
    publish(consumer, "troupe/s/Not..An/Address", Optional.of("troupe/r/c1/resp"), new byte[0]);
    verify(output)
        .preventPublishDelivery(
            eq(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR), contains("400 a service address"));
  }

  @Test
  void malformedTopicUnderTheRoot_isRefusedAs400() {
    publish(consumer, "troupe/s/Not An Address", Optional.of("troupe/r/c1/x"), new byte[0]);
    verify(output)
        .preventPublishDelivery(eq(AckReasonCode.IMPLEMENTATION_SPECIFIC_ERROR), contains("400"));
  }
}
