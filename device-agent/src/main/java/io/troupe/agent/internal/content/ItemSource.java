package io.troupe.agent.internal.content;

import io.troupe.proto.v1.Item;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetches an item's content from another member of the service through the gateway (R4): in chunks
 * ({@code io.troupe.contract.content.SyncFetch}), appending to {@code partial} from its current
 * length (so a transfer resumes), verifying size and SHA-256 on arrival, and fetching again from
 * another member (excluding the one that sent it) when the content does not verify or the source
 * goes away.
 */
public interface ItemSource {

  /**
   * Completes when {@code partial} holds exactly the item's content, verified; fails with a {@link
   * java.io.IOException} saying why when no member can supply it.
   *
   * @param address the service's address, to which the fetches are sent
   */
  CompletableFuture<Void> fetch(String address, Item item, Path partial);

  /**
   * Fetches several whole items in one request where it can ({@code
   * io.troupe.contract.content.SyncFetch#ITEM}, a bundle), each verified into its partial file
   * ({@code partials}, in the same order); completes, never exceptionally, with the items it did
   * not bring, for {@link #fetch} to bring one by one. This default brings none.
   */
  default CompletableFuture<List<Item>> fetchBundle(
      final String address, final List<Item> items, final List<Path> partials) {
    return CompletableFuture.completedFuture(items);
  }
}
