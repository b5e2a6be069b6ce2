package io.troupe.agent.internal.content;

import io.troupe.agent.api.ContentStore;
import io.troupe.contract.content.ContentDiff;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a content store to a merged descriptor (R4): the items the merge has newer are fetched
 * from other members (at most {@link #PARALLEL} at once) and installed, deletions applied, and
 * clocks of content already held adopted. An item that cannot be fetched is reported and left as it
 * was; the others still go ahead, and the next directive tries it again.
 */
public final class Reach {

  /** Items fetched at once. */
  public static final int PARALLEL = 4;

  private static final Logger log = LoggerFactory.getLogger(Reach.class);

  /** What a reach did: the plan, and the items it could not fetch. */
  public record Outcome(ContentDiff.Plan plan, List<String> failed) {}

  private Reach() {}

  /**
   * Reaches {@code target} in {@code store}, fetching through {@code source} from the members of
   * the service at {@code address}. Completes when every step is done or has failed.
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
      for (final Item item : plan.delete()) {
        store.adopt(item);
      }
      for (final Item item : plan.adopt()) {
        store.adopt(item);
      }
    } catch (final IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    final Queue<Item> waiting = new ConcurrentLinkedQueue<>(plan.fetch());
    final List<String> failed = Collections.synchronizedList(new ArrayList<>());
    final List<CompletableFuture<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < Math.min(PARALLEL, plan.fetch().size()); i++) {
      lanes.add(lane(store, source, address, waiting, failed));
    }
    return CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new))
        .thenApply(ignored -> new Outcome(plan, List.copyOf(failed)));
  }

  /** Fetches the waiting items one after another, until none is left; never fails. */
  private static CompletableFuture<Void> lane(
      final ContentStore store,
      final ItemSource source,
      final String address,
      final Queue<Item> waiting,
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
              return null;
            })
        .thenCompose(ignored -> lane(store, source, address, waiting, failed));
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
                store.install(item, partial);
                Files.deleteIfExists(partial);
              } catch (final IOException e) {
                throw new UncheckedIOException(e);
              }
            });
  }
}
