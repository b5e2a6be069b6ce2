package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CoapCodesTest {

  @ParameterizedTest
  @CsvSource({
    "200, CONTENT",
    "201, CREATED",
    "204, CHANGED",
    "400, BAD_REQUEST",
    "401, UNAUTHORIZED",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "413, REQUEST_ENTITY_TOO_LARGE",
    "429, TOO_MANY_REQUESTS",
    "500, INTERNAL_SERVER_ERROR",
    "502, BAD_GATEWAY",
    "503, SERVICE_UNAVAILABLE",
    "504, GATEWAY_TIMEOUT",
    "299, CONTENT",
    "418, BAD_REQUEST",
    "599, INTERNAL_SERVER_ERROR",
    "0, INTERNAL_SERVER_ERROR"
  })
  void toCoapCode_mapsEachStatusOnce(final int status, final ResponseCode expected) {
    assertThat(CoapCodes.toCoapCode(status)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"200, 2.05", "201, 2.01", "404, 4.04", "429, 4.29", "504, 5.04"})
  void toCoapCode_readsAsTheDottedCode(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status).toString()).isEqualTo(dotted);
  }
}
