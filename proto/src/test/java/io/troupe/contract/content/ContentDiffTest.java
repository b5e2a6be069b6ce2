package io.troupe.contract.content;

import static io.troupe.contract.content.Versions.clock;
import static io.troupe.contract.content.Versions.file;
import static io.troupe.contract.content.Versions.published;
import static io.troupe.contract.content.Versions.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import org.junit.jupiter.api.Test;

class ContentDiffTest {

  @Test
  void toReach_aMissingOrOlderItem_isFetched() {
    final Item missing = file("new.txt", "n", 10, clock("r1", 1));
    final Item newer = file("a.txt", "a2", 10, clock("r1", 2));
    final ServiceDescriptor local = published("r2", file("a.txt", "a1", 5, clock("r1", 1)));

    final ContentDiff.Plan plan = ContentDiff.toReach(local, published("", missing, newer));

    assertThat(plan.fetch()).containsExactlyInAnyOrder(missing, newer);
    assertThat(plan.delete()).isEmpty();
    assertThat(plan.adopt()).isEmpty();
    assertThat(plan.behind()).isEqualTo(2);
    assertThat(plan.inSync()).isFalse();
  }

  @Test
  void toReach_aNewerDeletionOfAHeldItem_isDeleted() {
    final Item deletion = tombstone("a.txt", 10, clock("r1", 2));
    final ServiceDescriptor local = published("r2", file("a.txt", "a", 5, clock("r1", 1)));

    final ContentDiff.Plan plan = ContentDiff.toReach(local, published("", deletion));

    assertThat(plan.delete()).containsExactly(deletion);
    assertThat(plan.fetch()).isEmpty();
    assertThat(plan.adopt()).isEmpty();
  }

  @Test
  void toReach_aDeletionOfAnItemNeverHeldOrAlreadyDeleted_isOnlyAdopted() {
    final Item gone = tombstone("gone.txt", 10, clock("r1", 2));
    final Item deletedAgain = tombstone("old.txt", 10, clock("r1", 3));
    final ServiceDescriptor local = published("r2", tombstone("old.txt", 5, clock("r1", 2)));

    final ContentDiff.Plan plan = ContentDiff.toReach(local, published("", gone, deletedAgain));

    assertThat(plan.adopt()).containsExactlyInAnyOrder(gone, deletedAgain);
    assertThat(plan.fetch()).isEmpty();
    assertThat(plan.delete()).isEmpty();
  }

  @Test
  void toReach_aNewerVersionOfTheSameContent_isOnlyAdopted_nothingMoves() {
    final Item target = file("a.txt", "same", 10, clock("r1", 1, "r2", 1));
    final ServiceDescriptor local = published("r2", file("a.txt", "same", 5, clock("r2", 1)));

    final ContentDiff.Plan plan = ContentDiff.toReach(local, published("", target));

    assertThat(plan.adopt()).containsExactly(target);
    assertThat(plan.fetch()).isEmpty();
  }

  @Test
  void toReach_aFileReplacingAHeldDeletion_isFetched() {
    final Item back = file("a.txt", "back", 10, clock("r1", 3));
    final ServiceDescriptor local = published("r2", tombstone("a.txt", 5, clock("r1", 2)));

    assertThat(ContentDiff.toReach(local, published("", back)).fetch()).containsExactly(back);
  }

  @Test
  void toReach_itemsTheServerHoldsEqualNewerOrConcurrent_areLeftAlone() {
    final Item equal = file("equal.txt", "e", 5, clock("r1", 1));
    final Item mineNewer = file("newer.txt", "n2", 5, clock("r1", 1, "r2", 1));
    final Item mineConcurrent = file("conc.txt", "c2", 5, clock("r2", 1));
    final Item onlyMine = file("mine.txt", "m", 5, clock("r2", 1));
    final ServiceDescriptor local = published("r2", equal, mineNewer, mineConcurrent, onlyMine);
    final ServiceDescriptor target =
        published(
            "",
            equal,
            file("newer.txt", "n1", 9, clock("r1", 1)),
            file("conc.txt", "c1", 9, clock("r1", 1)));

    final ContentDiff.Plan plan = ContentDiff.toReach(local, target);

    assertThat(plan.inSync()).isTrue();
    assertThat(plan.behind()).isZero();
  }

  @Test
  void toReach_theSameDescriptor_isInSync() {
    final ServiceDescriptor d =
        published("r1", file("a", "a", 1, clock("r1", 1)), tombstone("b", 2, clock("r1", 2)));

    assertThat(ContentDiff.toReach(d, d).inSync()).isTrue();
  }
}
