package io.troupe.agent.internal.content;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;

/**
 * Sends one sync fetch ({@code io.troupe.contract.content.SyncFetch}) and brings back its answer:
 * the one thing {@link MqttItemSource} needs of the network, so that its chunk loop can be tested
 * without a broker.
 */
interface ChunkTransport {

  /**
   * The answer to {@code request}. Never fails: a request that could not be sent or was not
   * answered in time completes as a chunk with the status that says so (503, 504…).
   */
  CompletableFuture<Chunk> fetch(ChunkRequest request);

  /**
   * One fetch: {@code length} bytes from {@code offset} of the content {@code sha256Hex}, from a
   * server of the service at {@code address} other than those in {@code exclude}.
   */
  record ChunkRequest(
      String address, String sha256Hex, long offset, int length, List<String> exclude) {

    public ChunkRequest {
      exclude = List.copyOf(exclude);
    }
  }

  /**
   * What came back.
   *
   * @param server the source, as the answer's {@code server} property named it
   * @param size the item's whole size the source reported ({@code troupe-sync-size}), if it did
   */
  record Chunk(int status, String reason, Optional<String> server, byte[] body, OptionalLong size) {

    static Chunk failed(final int status, final String reason) {
      return new Chunk(status, reason, Optional.empty(), new byte[0], OptionalLong.empty());
    }
  }
}
