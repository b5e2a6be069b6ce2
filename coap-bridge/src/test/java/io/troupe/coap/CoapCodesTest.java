package io.troupe.coap;

import static org.assertj.core.api.Assertions.assertThat;

import org.eclipse.californium.core.coap.CoAP.Code;
import org.eclipse.californium.core.coap.CoAP.ResponseCode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class CoapCodesTest {

  @ParameterizedTest
  @CsvSource({"200, 2.05", "201, 2.05", "204, 2.05", "299, 2.05"})
  void toCoapCode_successOfGet_isContent(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status, Code.GET).toString()).isEqualTo(dotted);
    assertThat(CoapCodes.toCoapCode(status, Code.FETCH).toString()).isEqualTo(dotted);
  }

  @ParameterizedTest
  @CsvSource({"200, 2.04", "201, 2.01", "202, 2.04", "204, 2.04"})
  void toCoapCode_successOfPost_isChangedOrCreated(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status, Code.POST).toString()).isEqualTo(dotted);
  }

  @ParameterizedTest
  @CsvSource({"200, 2.04", "201, 2.01", "204, 2.04"})
  void toCoapCode_successOfPutOrPatch_isChangedOrCreated(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status, Code.PUT).toString()).isEqualTo(dotted);
    assertThat(CoapCodes.toCoapCode(status, Code.PATCH).toString()).isEqualTo(dotted);
    assertThat(CoapCodes.toCoapCode(status, Code.IPATCH).toString()).isEqualTo(dotted);
  }

  @ParameterizedTest
  @CsvSource({"200, 2.02", "202, 2.02", "204, 2.02"})
  void toCoapCode_successOfDelete_isDeleted(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status, Code.DELETE).toString()).isEqualTo(dotted);
  }

  @ParameterizedTest
  @CsvSource({"200, 2.04", "201, 2.01"})
  void toCoapCode_successOfNoKnownMethod_isAsForPost(final int status, final String dotted) {
    assertThat(CoapCodes.toCoapCode(status, null).toString()).isEqualTo(dotted);
  }

  @ParameterizedTest
  @CsvSource({
    "400, BAD_REQUEST",
    "401, UNAUTHORIZED",
    "403, FORBIDDEN",
    "404, NOT_FOUND",
    "405, METHOD_NOT_ALLOWED",
    "406, NOT_ACCEPTABLE",
    "413, REQUEST_ENTITY_TOO_LARGE",
    "415, UNSUPPORTED_CONTENT_FORMAT",
    "429, TOO_MANY_REQUESTS",
    "500, INTERNAL_SERVER_ERROR",
    "502, BAD_GATEWAY",
    "503, SERVICE_UNAVAILABLE",
    "504, GATEWAY_TIMEOUT",
    "418, BAD_REQUEST",
    "599, INTERNAL_SERVER_ERROR",
    "0, INTERNAL_SERVER_ERROR"
  })
  void toCoapCode_errors_mapOnceWhateverTheMethod(final int status, final ResponseCode expected) {
    for (final Code method : Code.values()) {
      assertThat(CoapCodes.toCoapCode(status, method)).as("%s", method).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @EnumSource(Code.class)
  void toCoapCode_everySuccess_isOneTheRfcAllowsForItsMethod(final Code method) {
    for (int status = 200; status < 300; status++) {
      final ResponseCode code = CoapCodes.toCoapCode(status, method);
      switch (method) {
        case GET, FETCH -> assertThat(code).isEqualTo(ResponseCode.CONTENT);
        case DELETE -> assertThat(code).isEqualTo(ResponseCode.DELETED);
        default -> assertThat(code).isIn(ResponseCode.CHANGED, ResponseCode.CREATED);
      }
    }
  }
}
