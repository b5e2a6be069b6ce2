package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Availability;
import io.troupe.proto.v1.DistributionEntry;
import io.troupe.proto.v1.DistributionList;
import io.troupe.proto.v1.StatusMessage;
import org.junit.jupiter.api.Test;

class RetainedJsonTest {

  @Test
  void status_camelCaseNames_enumByName_int64AsString_defaultsOmitted() throws Exception {
    final StatusMessage status =
        StatusMessage.newBuilder()
            .setDeviceId("dev\"1")
            .setAvailability(Availability.AVAILABLE)
            .setSentAtMs(1_700_000_000_123L)
            .build();
    assertThat(RetainedResource.JSON.print(status))
        .isEqualTo(
            "{\"deviceId\":\"dev\\\"1\",\"availability\":\"AVAILABLE\","
                + "\"sentAtMs\":\"1700000000123\"}");
  }

  @Test
  void list_repeatedMessagesAsArray_unsigned64AsString() throws Exception {
    final DistributionList list =
        DistributionList.newBuilder()
            .setAddress("echo.demo")
            .setVersion(-1L)
            .addServers(DistributionEntry.newBuilder().setServer("a"))
            .addServers(DistributionEntry.newBuilder().setServer("b"))
            .build();
    assertThat(RetainedResource.JSON.print(list))
        .startsWith(
            "{\"address\":\"echo.demo\",\"version\":\"18446744073709551615\",\"servers\":[{")
        .contains("\"server\":\"a\"")
        .contains("\"server\":\"b\"");
  }

  @Test
  void empty_isAnEmptyObject() throws Exception {
    assertThat(RetainedResource.JSON.print(StatusMessage.getDefaultInstance())).isEqualTo("{}");
  }
}
