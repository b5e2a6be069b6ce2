package io.troupe.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.GatewayRequest;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayRequestsTest {

  @Test
  void join_createsTheCommunityWhenAbsent() {
    final GatewayRequest r = GatewayRequests.join("demo");
    assertThat(r.getJoinCommunity().getCommunity()).isEqualTo("demo");
    assertThat(r.getJoinCommunity().getCreateIfAbsent()).isTrue();
  }

  @Test
  void register_carriesTheDescriptorWhenThereIsOne() {
    final ServiceDescriptor d = ServiceDescriptor.newBuilder().setVersion(7).build();
    assertThat(GatewayRequests.register("demo", "echo", Optional.empty()).getRegisterService())
        .satisfies(
            op -> {
              assertThat(op.getCommunity()).isEqualTo("demo");
              assertThat(op.getService()).isEqualTo("echo");
              assertThat(op.hasServiceDescriptor()).isFalse();
            });
    assertThat(
            GatewayRequests.register("demo", "echo", Optional.of(d))
                .getRegisterService()
                .getServiceDescriptor())
        .isEqualTo(d);
  }

  @Test
  void leaveDeregisterAndEnable_nameWhatTheyAct() {
    assertThat(GatewayRequests.leave("demo").getLeaveCommunity().getCommunity()).isEqualTo("demo");
    assertThat(GatewayRequests.deregister("demo", "echo").getDeregisterService().getService())
        .isEqualTo("echo");
    assertThat(GatewayRequests.setEnabled("echo.demo", false).getSetServiceEnabled())
        .satisfies(
            op -> {
              assertThat(op.getAddress()).isEqualTo("echo.demo");
              assertThat(op.getEnabled()).isFalse();
            });
  }

  @Test
  void descriptor_isStampedWithServiceCommunityAndDevice() {
    final ServiceDescriptor empty =
        GatewayRequests.descriptor(Optional.empty(), "demo", "echo", "dev1");
    assertThat(empty.getVersion()).isEqualTo(1);
    assertThat(empty.getService()).isEqualTo("echo");
    assertThat(empty.getCommunity()).isEqualTo("demo");
    assertThat(empty.getDeviceId()).isEqualTo("dev1");

    final ServiceDescriptor given =
        ServiceDescriptor.newBuilder()
            .setVersion(9)
            .addItems(Item.newBuilder().setName("a.txt"))
            .build();
    final ServiceDescriptor stamped =
        GatewayRequests.descriptor(Optional.of(given), "demo", "files", "dev2");
    assertThat(stamped.getVersion()).isEqualTo(9);
    assertThat(stamped.getItemsCount()).isEqualTo(1);
    assertThat(stamped.getDeviceId()).isEqualTo("dev2");
  }
}
