package io.troupe.contract.content;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import java.util.Comparator;
import java.util.Optional;

/**
 * Two versions of one item meet (R4). When one version's clock dominates, it wins and nothing is
 * reported. When the clocks are concurrent (two servers changed the item from the same base) and
 * the contents differ, it is a conflict, resolved by this rule:
 *
 * <ol>
 *   <li>a change beats a deletion (nothing is dropped);
 *   <li>otherwise the later change wins ({@code modified_at_ms});
 *   <li>on the same time, the version with the greater hash wins (so that every place that merges
 *       the same two versions chooses the same one).
 * </ol>
 *
 * The winner keeps the item's name with a clock that includes both versions' changes; the losing
 * change, unless it was a deletion, is kept as a copy beside it ({@link
 * ContentNames#conflictCopy}); and the conflict is reported. Concurrent changes that came to the
 * same content are not a conflict: their clocks are merged.
 */
public final class ItemMerge {

  /**
   * The outcome: the item to keep under the name, the losing version's copy when one is kept, and
   * the conflict when there was one.
   */
  public record Merged(Item item, Optional<Item> copy, Optional<Conflict> conflict) {}

  private static final Comparator<Item> RULE =
      Comparator.comparing((Item i) -> !i.getDeleted())
          .thenComparingLong(Item::getModifiedAtMs)
          .thenComparing(Item::getSha256, ByteString.unsignedLexicographicalComparator());

  private ItemMerge() {}

  /** Merges two versions of the same item; {@code nowMs} dates a conflict. */
  public static Merged merge(final Item a, final Item b, final long nowMs) {
    if (!a.getName().equals(b.getName())) {
      throw new IllegalArgumentException(
          "not one item: '" + a.getName() + "' and '" + b.getName() + "'");
    }
    switch (VersionVector.compare(a.getClockMap(), b.getClockMap())) {
      case AFTER:
        return new Merged(a, Optional.empty(), Optional.empty());
      case BEFORE:
        return new Merged(b, Optional.empty(), Optional.empty());
      case EQUAL:
        // the same changes: the same version, unless a clock was reused; choose alike everywhere
        return new Merged(RULE.compare(a, b) >= 0 ? a : b, Optional.empty(), Optional.empty());
      default:
        break;
    }
    final Item merged;
    if (sameContent(a, b)) {
      merged =
          (RULE.compare(a, b) >= 0 ? a : b)
              .toBuilder()
                  .clearClock()
                  .putAllClock(VersionVector.merge(a.getClockMap(), b.getClockMap()))
                  .build();
      return new Merged(merged, Optional.empty(), Optional.empty());
    }
    final boolean aWins = RULE.compare(a, b) >= 0;
    final Item winner = aWins ? a : b;
    final Item loser = aWins ? b : a;
    final Item kept =
        winner.toBuilder()
            .clearClock()
            .putAllClock(VersionVector.merge(a.getClockMap(), b.getClockMap()))
            .build();
    final String loserReplica = VersionVector.author(loser.getClockMap(), winner.getClockMap());
    final Optional<Item> copy =
        loser.getDeleted()
            ? Optional.empty()
            : Optional.of(
                loser.toBuilder()
                    .setName(
                        ContentNames.conflictCopy(loser.getName(), loserReplica, loser.getSha256()))
                    .build());
    final Conflict conflict =
        Conflict.newBuilder()
            .setItem(a.getName())
            .setWinnerReplica(VersionVector.author(winner.getClockMap(), loser.getClockMap()))
            .setLoserReplica(loserReplica)
            .setWinnerSha256(winner.getSha256())
            .setLoserSha256(loser.getSha256())
            .setKeptAs(copy.map(Item::getName).orElse(""))
            .setAtMs(nowMs)
            .setRule(
                loser.getDeleted()
                    ? "change beats deletion"
                    : winner.getModifiedAtMs() != loser.getModifiedAtMs()
                        ? "later change wins"
                        : "same time, greater hash wins")
            .build();
    return new Merged(kept, copy, Optional.of(conflict));
  }

  /** Whether two versions hold the same content: both deletions, or the same hash. */
  public static boolean sameContent(final Item a, final Item b) {
    return a.getDeleted() == b.getDeleted()
        && (a.getDeleted() || a.getSha256().equals(b.getSha256()));
  }
}
