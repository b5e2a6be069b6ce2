package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentDiff;
import io.troupe.contract.content.SyncFetch;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a content store to a merged descriptor (R4). Content the store already holds under another
 * name (the losing side of a conflict, kept as a copy; a file renamed) is copied locally first,
 * before anything is deleted or fetched, so that it is not lost; then deletions are applied and
 * clocks of content already held adopted; the rest is fetched from other members (at most {@link
 * #PARALLEL} at once) and installed. A step that fails (an item the store refuses, one changed here
 * meanwhile, one no member can supply) is reported and left as it was; the others still go ahead,
 * and the next directive tries it again.
 */
public final class Reach {

  /** Items fetched at once. */
  public static final int PARALLEL = 4;

  private static final Logger log = LoggerFactory.getLogger(Reach.class);

  /** What a reach did: the plan, and the items it could not bring to the target. */
  public record Outcome(ContentDiff.Plan plan, List<String> failed) {}

  private Reach() {}

  /**
   * Reaches {@code target} in {@code store}, fetching through {@code source} from the members of
   * the service at {@code address}. Completes when every step is done or has failed; fails only
   * when the store cannot list its items.
   */
  public static CompletableFuture<Outcome> reach(
      final ContentStore store,
      final ItemSource source,
      final String address,
      final ServiceDescriptor target) {
    final ContentDiff.Plan plan;
    try {
      plan =
          ContentDiff.toReach(
              ServiceDescriptor.newBuilder().addAllItems(store.items()).build(), target);
    } catch (final IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    // one fetch per content: items with the same content as one fetched are copied from it after
    final Map<ByteString, List<Item>> twins = new HashMap<>();
    final Queue<Item> waiting = new ConcurrentLinkedQueue<>();
    for (final Item item : plan.fetch()) {
      if (copyHeld(store, item)) {
        step(address, item, failed, () -> install(store, item));
      } else if (twins.containsKey(item.getSha256())) {
        twins.get(item.getSha256()).add(item);
      } else {
        twins.put(item.getSha256(), new ArrayList<>());
        waiting.add(item);
      }
    }
    for (final Item item : plan.delete()) {
      step(address, item, failed, () -> store.adopt(item));
    }
    for (final Item item : plan.adopt()) {
      step(address, item, failed, () -> store.adopt(item));
    }
    final List<CompletableFuture<Void>> lanes = new ArrayList<>();
    final int fetches = waiting.size();
    for (int i = 0; i < Math.min(PARALLEL, fetches); i++) {
      lanes.add(lane(store, source, address, waiting, twins, failed));
    }
    return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> new Outcome(plan, List.copyOf(failed)));
  }

  private interface Step {
    void run() throws IOException;
  }

  private static void step(
      final String address, final Item item, final List<String> failed, final Step step) {
    try {
      step.run();
    } catch (final IOException | RuntimeException e) {
      failed.add(item.getName());
      log.warn("could not apply {} of {}: {}", item.getName(), address, e.getMessage());
    }
  }

  /** Fetches the waiting items one after another, until none is left; never fails. */
  private static CompletableFuture<Void> lane(
      final ContentStore store,
      final ItemSource source,
      final String address,
      final Queue<Item> waiting,
      final Map<ByteString, List<Item>> twins,
      final List<String> failed) {
    final Item item = waiting.poll();
    if (item == null) {
      return CompletableFuture.completedFuture(null);
    }
    return fetchOne(store, source, address, item)
        .handle(
            (ok, error) -> {
              if (error != null) {
                failed.add(item.getName());
                log.warn(
                    "could not fetch {} of {}: {}", item.getName(), address, error.getMessage());
              }
              for (final Item twin : twins.get(item.getSha256())) {
                if (copyHeld(store, twin)) {
                  step(address, twin, failed, () -> install(store, twin));
                } else {
                  failed.add(twin.getName());
                }
              }
              return null;
            })
        .thenCompose(ignored -> lane(store, source, address, waiting, twins, failed));
  }

  private static CompletableFuture<Void> fetchOne(
      final ContentStore store, final ItemSource source, final String address, final Item item) {
    final Path partial;
    try {
      partial = store.partial(item.getSha256());
    } catch (final IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return source
        .fetch(address, item, partial)
        .thenRun(
            () -> {
              try {
                install(store, item);
              } catch (final IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }

  private static void install(final ContentStore store, final Item item) throws IOException {
    final Path partial = store.partial(item.getSha256());
    store.install(item, partial);
    Files.deleteIfExists(partial);
  }

  /**
   * Copies the item's content into its partial file when the store holds it under any name, and
   * checks it; false when it does not hold it or the copy does not verify (it is then fetched).
   */
  private static boolean copyHeld(final ContentStore store, final Item item) {
    try {
      if (store.read(item.getSha256(), 0, 0).isEmpty()) {
        return false;
      }
      final Path partial = store.partial(item.getSha256());
      final MessageDigest digest = sha256();
      long offset = 0;
      try (OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
        while (offset < item.getSize()) {
          final Optional<byte[]> chunk =
              store.read(
                  item.getSha256(),
                  offset,
                  (int) Math.min(SyncFetch.MAX_CHUNK, item.getSize() - offset));
          if (chunk.isEmpty() || chunk.get().length == 0) {
            break;
          }
          out.write(chunk.get());
          offset += chunk.get().length;
        }
      }
      if (offset == item.getSize()
          && ByteString.copyFrom(digest.digest()).equals(item.getSha256())) {
        return true;
      }
      Files.deleteIfExists(partial);
      return false;
    } catch (final IOException | RuntimeException e) {
      log.debug("no local copy of {}: {}", item.getName(), e.toString());
      return false;
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (final NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
