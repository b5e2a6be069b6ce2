package io.troupe.contract.content;

import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The gateway's merged descriptor of a service (R4): for each item name, the version no server's
 * version dominates, merged item by item with {@link ItemMerge} (deletions included, as
 * tombstones). Merging is idempotent, and servers reporting in any order reach the same items, with
 * one exception: when three or more concurrent versions of one item meet, the winner and the
 * contents kept are the same in any order, but a copy's name and clock may credit a different
 * replica (once two versions merged, the winner's clock holds both replicas' changes, and {@link
 * VersionVector#author} names the first of them when it later loses). Every server still ends with
 * the gateway's one merged descriptor.
 */
public final class DescriptorMerge {

  /** Conflicts kept on a merged descriptor, newest last. */
  public static final int CONFLICTS_KEPT = 20;

  /** The merged descriptor and the conflicts this merge found (already appended to it). */
  public record Result(ServiceDescriptor merged, List<Conflict> conflicts, boolean changed) {}

  private DescriptorMerge() {}

  /** Whether {@code d} takes part in synchronisation: it names a replica or an item has a clock. */
  public static boolean synchronised(final ServiceDescriptor d) {
    return !d.getReplica().isEmpty()
        || d.getItemsList().stream().anyMatch(i -> i.getClockCount() > 0);
  }

  /**
   * Merges the items of {@code incoming} into {@code base} (null: none yet). The other fields are
   * {@code base}'s, or {@code incoming}'s when there is no base; the version becomes {@link
   * #version}; {@code replica} is cleared (a merged descriptor is nobody's copy).
   */
  public static Result merge(
      final ServiceDescriptor base, final ServiceDescriptor incoming, final long nowMs) {
    final ServiceDescriptor start = base == null ? incoming : base;
    final TreeMap<String, Item> items = new TreeMap<>();
    if (base != null) {
      base.getItemsList().forEach(i -> items.put(i.getName(), i));
    }
    final List<Conflict> found = new ArrayList<>();
    for (final Item theirs : incoming.getItemsList()) {
      put(items, theirs, nowMs, found);
    }
    final List<Conflict> conflicts =
        new ArrayList<>(base == null ? List.of() : base.getConflictsList());
    conflicts.addAll(found);
    final List<Conflict> kept =
        conflicts.subList(Math.max(0, conflicts.size() - CONFLICTS_KEPT), conflicts.size());
    final ServiceDescriptor merged =
        start.toBuilder()
            .clearReplica()
            .clearItems()
            .addAllItems(items.values())
            .clearConflicts()
            .addAllConflicts(kept)
            .setVersion(version(items.values()))
            .build();
    final boolean changed = base == null || !base.getItemsList().equals(merged.getItemsList());
    return new Result(merged, List.copyOf(found), changed);
  }

  private static void put(
      final Map<String, Item> items,
      final Item theirs,
      final long nowMs,
      final List<Conflict> found) {
    final Item ours = items.get(theirs.getName());
    if (ours == null) {
      items.put(theirs.getName(), theirs);
      return;
    }
    final ItemMerge.Merged m = ItemMerge.merge(ours, theirs, nowMs);
    items.put(m.item().getName(), m.item());
    m.conflict().ifPresent(found::add);
    final Optional<Item> copy = m.copy();
    if (copy.isPresent()) {
      put(items, copy.get(), nowMs, found);
    }
  }

  /** A merged descriptor's version: the changes its items' clocks include, over all items. */
  public static long version(final Iterable<Item> items) {
    long total = 0;
    for (final Item i : items) {
      total += VersionVector.sum(i.getClockMap());
    }
    return Math.max(1, total);
  }
}
