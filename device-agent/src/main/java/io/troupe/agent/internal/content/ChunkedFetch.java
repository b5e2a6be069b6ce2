package io.troupe.agent.internal.content;

import io.troupe.agent.internal.Descriptors;
import io.troupe.agent.internal.content.ChunkTransport.Chunk;
import io.troupe.agent.internal.content.ChunkTransport.ChunkRequest;
import io.troupe.contract.content.ContentNames;
import io.troupe.proto.v1.Item;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One item's transfer into its partial file: one chunk in flight at a time, each asked at the
 * partial's current length, so that a transfer resumes wherever the last one stopped. When the
 * partial is complete it is verified (size and SHA-256); content that does not verify is deleted
 * and fetched again without the servers that sent it, and a source that goes away (503, 504) is
 * excluded while the transfer goes on from the partial's length. After {@link
 * MqttItemSource#MAX_SOURCES} such failures it gives up with an {@link IOException} listing them.
 *
 * <p>Its state is touched by one step at a time (each step starts the next only when it is done),
 * so it needs no lock.
 */
final class ChunkedFetch {

  private static final Logger log = LoggerFactory.getLogger(MqttItemSource.class);

  /** How long to wait before asking again when a refusal names no source (the gateway's limit). */
  private static final long RETRY_MS = 200;

  private final ChunkTransport transport;
  private final Executor executor;
  private final AtomicInteger chunkBytes;
  private final String address;
  private final Item item;
  private final Path partial;
  private final String hex;
  private final List<String> excluded = new ArrayList<>();
  private final Set<String> contributors = new LinkedHashSet<>();
  private final List<String> failures = new ArrayList<>();
  private Optional<String> current = Optional.empty();
  final CompletableFuture<Void> done = new CompletableFuture<>();

  ChunkedFetch(
      final ChunkTransport transport,
      final Executor executor,
      final AtomicInteger chunkBytes,
      final String address,
      final Item item,
      final Path partial) {
    this.transport = transport;
    this.executor = executor;
    this.chunkBytes = chunkBytes;
    this.address = address;
    this.item = item;
    this.partial = partial;
    this.hex = ContentNames.hex(item.getSha256());
  }

  /** Asks for the next chunk, or verifies the partial once it is complete. */
  void step() {
    final long have;
    try {
      if (item.getSize() == 0 && !Files.exists(partial)) {
        // an empty item is complete at once: its (empty) partial is what gets verified
        Files.createFile(partial);
      }
      have = Files.exists(partial) ? Files.size(partial) : 0;
      if (have >= item.getSize()) {
        finish(have);
        return;
      }
    } catch (final IOException e) {
      giveUp("the partial file " + partial + ": " + e.getMessage());
      return;
    }
    final int length = (int) Math.min(chunkBytes.get(), item.getSize() - have);
    transport
        .fetch(new ChunkRequest(address, hex, have, length, excluded))
        .whenComplete(
            (chunk, error) ->
                next(
                    () ->
                        arrived(
                            error == null ? chunk : Chunk.failed(500, String.valueOf(error)),
                            have,
                            length)));
  }

  private void arrived(final Chunk chunk, final long offset, final int length) {
    chunk.server().ifPresent(s -> current = Optional.of(s));
    final Optional<String> source = chunk.server().or(() -> current);
    switch (chunk.status()) {
      case 200 -> append(chunk, source, offset, length);
      case 503, 504 -> failed(source, chunk.status() + " " + chunk.reason(), false);
      case 413, 500 -> {
        if (length > MqttItemSource.MIN_CHUNK) {
          smaller(length, chunk);
        } else {
          giveUp("the gateway answered " + chunk.status() + " (" + chunk.reason() + ")");
        }
      }
      default ->
          giveUp(
              "the gateway answered "
                  + chunk.status()
                  + (chunk.reason().isEmpty() ? "" : " (" + chunk.reason() + ")"));
    }
  }

  /** The gateway relays no answer this large: ask for half as much, from now on. */
  private void smaller(final int length, final Chunk chunk) {
    final int half = Math.max(MqttItemSource.MIN_CHUNK, length / 2);
    chunkBytes.accumulateAndGet(half, Math::min);
    log.info(
        "asking {} of {} in chunks of {} bytes: {} {}",
        item.getName(),
        address,
        half,
        chunk.status(),
        chunk.reason());
    step();
  }

  private void append(
      final Chunk chunk, final Optional<String> source, final long offset, final int length) {
    final byte[] body = chunk.body();
    if (chunk.size().orElse(-1) != item.getSize()) {
      failed(source, "reported size " + chunk.size() + ", not " + item.getSize(), false);
      return;
    }
    if (body.length == 0 || body.length > length) {
      failed(source, "answered " + body.length + " bytes for " + length + " asked", false);
      return;
    }
    try {
      if ((Files.exists(partial) ? Files.size(partial) : 0) == offset) {
        Files.write(partial, body, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        contributors.add(source.orElse(""));
      } // else the partial changed under us: asking again at its length is all it takes
    } catch (final IOException e) {
      giveUp("could not write " + partial + ": " + e.getMessage());
      return;
    }
    step();
  }

  private void finish(final long have) throws IOException {
    if (have == item.getSize() && verified()) {
      log.debug(
          "fetched {} ({} bytes, {}) of {} from {}",
          item.getName(),
          have,
          hex,
          address,
          contributors);
      done.complete(null);
      return;
    }
    final List<String> blamed = contributors.stream().filter(s -> !s.isEmpty()).toList();
    Files.deleteIfExists(partial);
    contributors.clear();
    blamed.forEach(this::exclude);
    failed(
        Optional.empty(),
        (have == item.getSize()
                ? "content from " + blamed + " does not match its SHA-256"
                : "content from " + blamed + " is longer than the item")
            + "; fetching it again",
        true);
  }

  private boolean verified() throws IOException {
    return Arrays.equals(Descriptors.sha256(partial), item.getSha256().toByteArray());
  }

  /**
   * A source failed: it is excluded from now on, and the transfer goes on from the partial's length
   * unless this was the last failure allowed.
   *
   * @param blamed whether the failure's sources are excluded already
   */
  private void failed(final Optional<String> source, final String why, final boolean blamed) {
    source.ifPresent(this::exclude);
    current = Optional.empty();
    failures.add(source.map(s -> s + ": ").orElse("") + why);
    if (failures.size() >= MqttItemSource.MAX_SOURCES) {
      giveUp("gave up after " + failures.size() + " sources failed");
      return;
    }
    log.info(
        "fetching {} of {} from another member, excluding {}: {}",
        item.getName(),
        address,
        excluded,
        why);
    if (source.isEmpty() && !blamed) {
      next(this::step, RETRY_MS);
    } else {
      step();
    }
  }

  private void exclude(final String source) {
    if (!excluded.contains(source)) {
      excluded.add(source);
    }
  }

  private void giveUp(final String why) {
    done.completeExceptionally(
        new IOException(
            "could not fetch "
                + item.getName()
                + " ("
                + hex
                + ") of "
                + address
                + ": "
                + why
                + (failures.isEmpty() ? "" : "; " + String.join("; ", failures))));
  }

  private void next(final Runnable step) {
    next(step, 0);
  }

  private void next(final Runnable step, final long delayMs) {
    try {
      (delayMs > 0
              ? CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS, executor)
              : executor)
          .execute(
              () -> {
                try {
                  step.run();
                } catch (final RuntimeException e) {
                  done.completeExceptionally(e);
                }
              });
    } catch (final RejectedExecutionException e) {
      done.completeExceptionally(new IOException("the agent is stopping", e));
    }
  }
}
