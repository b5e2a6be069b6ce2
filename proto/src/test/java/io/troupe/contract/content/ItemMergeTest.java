package io.troupe.contract.content;

import static io.troupe.contract.content.Versions.clock;
import static io.troupe.contract.content.Versions.file;
import static io.troupe.contract.content.Versions.sha256;
import static io.troupe.contract.content.Versions.tombstone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import org.junit.jupiter.api.Test;

class ItemMergeTest {

  private static final long NOW = 1_000_000L;

  @Test
  void merge_differentItems_isRefused() {
    assertThatThrownBy(
            () ->
                ItemMerge.merge(
                    file("a.txt", "x", 1, clock("r", 1)),
                    file("b.txt", "x", 1, clock("r", 1)),
                    NOW))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.txt")
        .hasMessageContaining("b.txt");
  }

  @Test
  void merge_oneClockDominates_keepsThatVersion_withoutConflict_inEitherOrder() {
    final Item older = file("a.txt", "old", 500, clock("r1", 1));
    // the newer change is dated EARLIER: a dominating clock wins whatever the wall clocks say
    final Item newer = file("a.txt", "new", 100, clock("r1", 1, "r2", 1));

    for (final ItemMerge.Merged m :
        new ItemMerge.Merged[] {
          ItemMerge.merge(older, newer, NOW), ItemMerge.merge(newer, older, NOW)
        }) {
      assertThat(m.item()).isEqualTo(newer);
      assertThat(m.copy()).isEmpty();
      assertThat(m.conflict()).isEmpty();
    }
  }

  @Test
  void merge_aDeletionAfterTheChange_winsWithoutConflict() {
    final Item change = file("a.txt", "x", 500, clock("r1", 1));
    final Item deletion = tombstone("a.txt", 100, clock("r1", 1, "r2", 1));

    final ItemMerge.Merged m = ItemMerge.merge(change, deletion, NOW);

    assertThat(m.item()).isEqualTo(deletion);
    assertThat(m.conflict()).isEmpty();
  }

  @Test
  void merge_equalClocks_choosesTheSameVersionInEitherOrder() {
    final Item a = file("a.txt", "one", 100, clock("r1", 1));
    final Item b = file("a.txt", "two", 100, clock("r1", 1));

    assertThat(ItemMerge.merge(a, b, NOW).item()).isEqualTo(ItemMerge.merge(b, a, NOW).item());
    assertThat(ItemMerge.merge(a, b, NOW).conflict()).isEmpty();
    assertThat(ItemMerge.merge(a, a, NOW).item()).isEqualTo(a);
  }

  @Test
  void merge_concurrentChangesToTheSameContent_areNoConflict_andMergeTheirClocks() {
    final Item a = file("a.txt", "same", 100, clock("base", 1, "r1", 1));
    final Item b = file("a.txt", "same", 200, clock("base", 1, "r2", 1));

    for (final ItemMerge.Merged m :
        new ItemMerge.Merged[] {ItemMerge.merge(a, b, NOW), ItemMerge.merge(b, a, NOW)}) {
      assertThat(m.conflict()).isEmpty();
      assertThat(m.copy()).isEmpty();
      assertThat(m.item().getSha256()).isEqualTo(sha256("same"));
      assertThat(m.item().getModifiedAtMs()).isEqualTo(200);
      assertThat(m.item().getClockMap()).isEqualTo(clock("base", 1, "r1", 1, "r2", 1));
    }
  }

  @Test
  void merge_concurrentDeletions_areNoConflict() {
    final Item a = tombstone("a.txt", 100, clock("base", 1, "r1", 1));
    final Item b = tombstone("a.txt", 200, clock("base", 1, "r2", 1));

    final ItemMerge.Merged m = ItemMerge.merge(a, b, NOW);

    assertThat(m.conflict()).isEmpty();
    assertThat(m.item().getDeleted()).isTrue();
    assertThat(m.item().getClockMap()).isEqualTo(clock("base", 1, "r1", 1, "r2", 1));
    assertThat(ItemMerge.merge(b, a, NOW)).isEqualTo(m);
  }

  @Test
  void merge_changeConcurrentWithDeletion_changeWins_nothingCopied_conflictReported() {
    final Item change = file("a.txt", "kept", 100, clock("base", 1, "r1", 1));
    // the deletion is later, and still loses: nothing is dropped
    final Item deletion = tombstone("a.txt", 900, clock("base", 1, "r2", 1));

    final ItemMerge.Merged m = ItemMerge.merge(deletion, change, NOW);

    assertThat(m.item().getDeleted()).isFalse();
    assertThat(m.item().getSha256()).isEqualTo(sha256("kept"));
    assertThat(m.item().getClockMap()).isEqualTo(clock("base", 1, "r1", 1, "r2", 1));
    assertThat(m.copy()).isEmpty();
    assertThat(m.conflict())
        .hasValue(
            Conflict.newBuilder()
                .setItem("a.txt")
                .setWinnerReplica("r1")
                .setLoserReplica("r2")
                .setWinnerSha256(sha256("kept"))
                .setLoserSha256(ByteString.EMPTY)
                .setKeptAs("")
                .setAtMs(NOW)
                .setRule("change beats deletion")
                .build());
    assertThat(ItemMerge.merge(change, deletion, NOW)).isEqualTo(m);
  }

  @Test
  void merge_concurrentChanges_laterChangeWins_loserKeptAsACopy_conflictReported() {
    final Item early = file("a.txt", "early", 100, clock("base", 1, "r1", 1));
    final Item late = file("a.txt", "late", 200, clock("base", 1, "r2", 1));

    final ItemMerge.Merged m = ItemMerge.merge(early, late, NOW);

    final String copyName = ContentNames.conflictCopy("a.txt", "r1", sha256("early"));
    assertThat(copyName)
        .startsWith("a.txt.conflict-r1-")
        .hasSize("a.txt.conflict-r1-".length() + 8);
    assertThat(m.item().getSha256()).isEqualTo(sha256("late"));
    assertThat(m.item().getModifiedAtMs()).isEqualTo(200);
    assertThat(m.item().getClockMap()).isEqualTo(clock("base", 1, "r1", 1, "r2", 1));
    assertThat(m.copy()).hasValue(early.toBuilder().setName(copyName).build());
    assertThat(m.conflict()).isPresent();
    final Conflict c = m.conflict().get();
    assertThat(c.getRule()).isEqualTo("later change wins");
    assertThat(c.getWinnerReplica()).isEqualTo("r2");
    assertThat(c.getLoserReplica()).isEqualTo("r1");
    assertThat(c.getWinnerSha256()).isEqualTo(sha256("late"));
    assertThat(c.getLoserSha256()).isEqualTo(sha256("early"));
    assertThat(c.getKeptAs()).isEqualTo(copyName);
    assertThat(c.getAtMs()).isEqualTo(NOW);
    assertThat(ItemMerge.merge(late, early, NOW)).isEqualTo(m);
  }

  @Test
  void merge_concurrentChangesAtTheSameTime_greaterHashWins_inEitherOrder() {
    final Item a = file("a.txt", "alpha", 300, clock("r1", 1));
    final Item b = file("a.txt", "beta", 300, clock("r2", 1));
    final Item greater =
        ByteString.unsignedLexicographicalComparator().compare(a.getSha256(), b.getSha256()) > 0
            ? a
            : b;
    final Item lesser = greater == a ? b : a;

    final ItemMerge.Merged m = ItemMerge.merge(a, b, NOW);

    assertThat(m.item().getSha256()).isEqualTo(greater.getSha256());
    assertThat(m.copy().map(Item::getSha256)).hasValue(lesser.getSha256());
    assertThat(m.conflict().map(Conflict::getRule)).hasValue("same time, greater hash wins");
    assertThat(ItemMerge.merge(b, a, NOW)).isEqualTo(m);
  }

  @Test
  void sameContent_isTheSameHash_orTwoDeletions() {
    assertThat(
            ItemMerge.sameContent(
                file("a", "x", 1, clock("r", 1)), file("a", "x", 2, clock("s", 1))))
        .isTrue();
    assertThat(ItemMerge.sameContent(tombstone("a", 1, clock()), tombstone("a", 2, clock())))
        .isTrue();
    assertThat(ItemMerge.sameContent(file("a", "x", 1, clock()), file("a", "y", 1, clock())))
        .isFalse();
    assertThat(ItemMerge.sameContent(file("a", "", 1, clock()), tombstone("a", 1, clock())))
        .isFalse();
  }
}
