package io.troupe.coap;

import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.charset.StandardCharsets;
import org.jetbrains.annotations.Nullable;

/**
 * One version of a retained message, as its observers are sent it: the protobuf bytes as retained
 * (Content-Format 42), and their JSON (50) made at most once for the version, however many
 * observers ask for it. A new retained message is a new {@code Representation}.
 */
final class Representation {

  private final byte[] payload;
  private final Runnable encoded;
  private byte @Nullable [] json;

  /**
   * @param payload the retained protobuf message
   * @param encoded told each time the JSON is made (a metric)
   */
  Representation(final byte[] payload, final Runnable encoded) {
    this.payload = payload;
    this.encoded = encoded;
  }

  /** The retained protobuf message, as retained: callers must not change it. */
  byte[] payload() {
    return payload;
  }

  /**
   * The message as protobuf's canonical JSON, encoded on the first call only.
   *
   * @throws InvalidProtocolBufferException when the payload is not a {@code kind} message (nothing
   *     is kept then: the next call tries again)
   */
  synchronized byte[] json(final RetainedResource.Kind kind) throws InvalidProtocolBufferException {
    if (json == null) {
      json = RetainedResource.JSON.print(kind.parse(payload)).getBytes(StandardCharsets.UTF_8);
      encoded.run();
    }
    return json;
  }
}
