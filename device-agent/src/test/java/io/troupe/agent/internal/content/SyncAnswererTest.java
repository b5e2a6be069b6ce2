package io.troupe.agent.internal.content;

import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentNames;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.TunnelRequest;
import io.troupe.proto.v1.TunnelResponse;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SyncAnswererTest {

  private final byte[] photo = MqttItemSourceTest.bytes(SyncFetch.MAX_CHUNK + 10, 7);
  private final String hex = ContentNames.hex(MqttItemSourceTest.item("p", photo).getSha256());
  private final MemoryContentStore store = new MemoryContentStore().put("photo.jpg", photo);
  private final SyncAnswerer answerer =
      new SyncAnswerer(
          "dev1",
          (community, service) ->
              community.equals("demo") && service.equals("files")
                  ? Optional.<ContentStore>of(store)
                  : Optional.empty());

  private static TunnelRequest fetch(final String path, final Map<String, String> properties) {
    return TunnelRequest.newBuilder()
        .setRequestId("r-1")
        .setCommunity("demo")
        .setService("files")
        .setMethod(SyncFetch.METHOD)
        .setPath(path)
        .putAllProperties(properties)
        .build();
  }

  private TunnelResponse answer(final String offset, final String length) {
    return answerer.answer(fetch(hex, Map.of(SyncFetch.OFFSET, offset, SyncFetch.LENGTH, length)));
  }

  @Test
  void answer_heldContent_200WithTheBytesAndTheWholeSize() {
    final TunnelResponse r = answer("100", "50");

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getRequestId()).isEqualTo("r-1");
    assertThat(r.getBody().toByteArray()).isEqualTo(Arrays.copyOfRange(photo, 100, 150));
    assertThat(r.getPropertiesMap()).containsEntry(SyncFetch.SIZE, Integer.toString(photo.length));
  }

  @Test
  void answer_lengthPastTheEnd_givesTheRest() {
    final TunnelResponse r = answer(Integer.toString(SyncFetch.MAX_CHUNK), "1000");

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getBody().size()).isEqualTo(10);
  }

  @Test
  void answer_noOffsetOrLength_firstChunk() {
    final TunnelResponse r = answerer.answer(fetch(hex, Map.of()));

    assertThat(r.getStatus()).isEqualTo(200);
    assertThat(r.getBody().size()).isEqualTo(SyncFetch.MAX_CHUNK);
  }

  @Test
  void answer_contentNotHeld_503NotHeld() {
    final TunnelResponse r = answerer.answer(fetch("ab".repeat(32), Map.of()));

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getPropertiesMap().get("reason")).startsWith("not held");
  }

  @Test
  void answer_serviceWithoutStore_503NotHeld() {
    final TunnelResponse r =
        answerer.answer(fetch(hex, Map.of()).toBuilder().setService("echo").build());

    assertThat(r.getStatus()).isEqualTo(503);
    assertThat(r.getPropertiesMap().get("reason")).startsWith("not held");
  }

  @Test
  void answer_malformedInput_400AndNothingRead() {
    final Map<String, TunnelResponse> answers =
        Map.of(
            "short hash", answerer.answer(fetch("abc", Map.of())),
            "not hex", answerer.answer(fetch("zz".repeat(32), Map.of())),
            "negative offset", answer("-1", "10"),
            "offset not a number", answer("ten", "10"),
            "zero length", answer("0", "0"),
            "length over a chunk", answer("0", Integer.toString(SyncFetch.MAX_CHUNK + 1)),
            "offset past the end", answer(Integer.toString(photo.length + 1), "10"));

    answers.forEach(
        (what, r) -> {
          assertThat(r.getStatus()).as(what).isEqualTo(400);
          assertThat(r.getPropertiesMap().get("reason")).as(what).isNotBlank();
        });
    assertThat(store.reads).hasValue(0);
  }

  @Test
  void bundle_answersEveryContentWhole_inTheOrderAsked() {
    final byte[] note = MqttItemSourceTest.bytes(300, 8);
    store.put("note.txt", note);
    final String noteHex = ContentNames.hex(MqttItemSourceTest.item("n", note).getSha256());
    final byte[] small = MqttItemSourceTest.bytes(50, 9);
    store.put("small.txt", small);
    final String smallHex = ContentNames.hex(MqttItemSourceTest.item("s", small).getSha256());

    final TunnelResponse r =
        answerer.answer(fetch(smallHex + "," + noteHex, Map.of(SyncFetch.OFFSET, "0")));

    assertThat(r.getStatus()).isEqualTo(200);
    final byte[] both = new byte[350];
    System.arraycopy(small, 0, both, 0, 50);
    System.arraycopy(note, 0, both, 50, 300);
    assertThat(r.getBody().toByteArray()).isEqualTo(both);
    assertThat(r.getPropertiesMap()).containsEntry(SyncFetch.SIZE, "350");
  }

  @Test
  void bundle_withAContentNotHeld_is503_andMalformedOrTooLargeOnes400() {
    final byte[] note = MqttItemSourceTest.bytes(300, 8);
    store.put("note.txt", note);
    final String noteHex = ContentNames.hex(MqttItemSourceTest.item("n", note).getSha256());
    final String other = ContentNames.hex(MqttItemSourceTest.item("x", new byte[] {1}).getSha256());

    final TunnelResponse missing = answerer.answer(fetch(noteHex + "," + other, Map.of()));
    assertThat(missing.getStatus()).isEqualTo(503);
    assertThat(missing.getPropertiesMap()).containsEntry("reason", "not held: " + other);

    assertThat(answerer.answer(fetch(noteHex + ",zz", Map.of())).getStatus()).isEqualTo(400);
    assertThat(
            answerer.answer(fetch(noteHex + "," + hex, Map.of())).getPropertiesMap().get("reason"))
        .as("the photo is larger than a chunk")
        .startsWith("the bundle holds");
    assertThat(
            answerer
                .answer(fetch(noteHex + "," + noteHex, Map.of(SyncFetch.OFFSET, "5")))
                .getStatus())
        .isEqualTo(400);
  }
}
