package io.troupe.agent.internal.content;

import com.google.protobuf.ByteString;
import io.troupe.agent.api.ContentStore;
import io.troupe.agent.internal.Descriptors;
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
 * clocks of content already held adopted; the rest is fetched from other members (small items many
 * to a request, in bundles; at most {@link #PARALLEL} requests at once) and installed. A step that
 * fails (an item the store refuses, one changed here meanwhile, one no member can supply) is
 * reported and left as it was; the others still go ahead, and the next directive tries it again.
 */
public final class Reach {

  /** Fetches in flight at once. */
  public static final int PARALLEL = 8;

  /** Items up to this size are fetched in bundles ({@link SyncFetch#ITEM}); larger ones alone. */
  public static final int BUNDLED_UP_TO = 64 * 1024;

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
    final List<Item> waiting = new ArrayList<>();
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
    final Lanes work = new Lanes(store, source, address, units(waiting), twins, failed);
    final List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(PARALLEL, work.units.size()); i++) {
      lanes.add(work.lane());
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

  /**
   * The fetches of {@code items}: small ones in bundles of at most {@link SyncFetch#MAX_BUNDLE}
   * items and {@link SyncFetch#MAX_CHUNK} bytes, larger ones alone.
   */
  static Queue<List<Item>> units(final List<Item> items) {
    final Queue<List<Item>> units = new ConcurrentLinkedQueue<>();
    List<Item> bundle = new ArrayList<>();
    long bytes = 0;
    for (final Item item : items) {
      if (item.getSize() > BUNDLED_UP_TO) {
        units.add(List.of(item));
        continue;
      }
      if (bundle.size() == SyncFetch.MAX_BUNDLE || bytes + item.getSize() > SyncFetch.MAX_CHUNK) {
        units.add(bundle);
        bundle = new ArrayList<>();
        bytes = 0;
      }
      bundle.add(item);
      bytes += item.getSize();
    }
    if (!bundle.isEmpty()) {
      units.add(bundle);
    }
    return units;
  }

  /** The fetches of one reach, shared by its lanes. */
  private record Lanes(
      ContentStore store,
      ItemSource source,
      String address,
      Queue<List<Item>> units,
      Map<ByteString, List<Item>> twins,
      List<String> failed) {

    /** Fetches the waiting units one after another, until none is left; never fails. */
    CompletableFuture<Void> lane() {
      final List<Item> unit = units.poll();
      if (unit == null) {
        return CompletableFuture.completedFuture(null);
      }
      return (unit.size() == 1 ? one(unit.get(0)) : bundle(unit)).thenCompose(ignored -> lane());
    }

    /** One item, alone: resumable, with its own failover. */
    private CompletableFuture<Void> one(final Item item) {
      return fetchOne(store, source, address, item)
          .handle(
              (ok, error) -> {
                if (error != null) {
                  failed.add(item.getName());
                  log.warn(
                      "could not fetch {} of {}: {}", item.getName(), address, error.getMessage());
                }
                copyToTwins(item);
                return null;
              });
    }

    /** Several small items in one request; what it did not bring is fetched one by one. */
    private CompletableFuture<Void> bundle(final List<Item> unit) {
      final List<Path> partials = new ArrayList<>();
      try {
        for (final Item item : unit) {
          partials.add(store.partial(item.getSha256()));
        }
      } catch (final IOException e) {
        return alone(unit);
      }
      return source
          .fetchBundle(address, unit, partials)
          .exceptionally(error -> unit)
          .thenCompose(
              left -> {
                for (final Item item : unit) {
                  if (!left.contains(item)) {
                    step(address, item, failed, () -> install(store, item));
                    copyToTwins(item);
                  }
                }
                return alone(left);
              });
    }

    private CompletableFuture<Void> alone(final List<Item> items) {
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (final Item item : items) {
        chain = chain.thenCompose(ignored -> one(item));
      }
      return chain;
    }

    /** Items with the same content as {@code fetched} are copied from it. */
    private void copyToTwins(final Item fetched) {
      for (final Item twin : twins.get(fetched.getSha256())) {
        if (copyHeld(store, twin)) {
          step(address, twin, failed, () -> install(store, twin));
        } else {
          failed.add(twin.getName());
        }
      }
    }
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
      final MessageDigest digest = Descriptors.newSha256();
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
}
