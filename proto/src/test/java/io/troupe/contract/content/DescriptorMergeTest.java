package io.troupe.contract.content;

import static io.troupe.contract.content.Versions.clock;
import static io.troupe.contract.content.Versions.file;
import static io.troupe.contract.content.Versions.published;
import static io.troupe.contract.content.Versions.sha256;
import static io.troupe.contract.content.Versions.tombstone;
import static org.assertj.core.api.Assertions.assertThat;

import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DescriptorMergeTest {

  private static final long NOW = 5_000L;

  private static ServiceDescriptor mergeAll(final List<ServiceDescriptor> reports) {
    ServiceDescriptor merged = null;
    for (final ServiceDescriptor d : reports) {
      merged = DescriptorMerge.merge(merged, d, NOW).merged();
    }
    return merged;
  }

  @Test
  void merge_firstReport_becomesTheMergedDescriptor_withoutItsReplica() {
    final ServiceDescriptor first =
        published(
            "r1", file("a.txt", "a", 10, clock("r1", 1)), file("b.txt", "b", 10, clock("r1", 2)));

    final DescriptorMerge.Result r = DescriptorMerge.merge(null, first, NOW);

    assertThat(r.changed()).isTrue();
    assertThat(r.conflicts()).isEmpty();
    assertThat(r.merged().getReplica()).isEmpty();
    assertThat(r.merged().getService()).isEqualTo("docs");
    assertThat(r.merged().getItemsList()).containsExactlyElementsOf(first.getItemsList());
    assertThat(r.merged().getVersion()).isEqualTo(3);
  }

  @Test
  void merge_aNewerItemAndANewItem_replaceAndJoin_andTheBaseKeepsItsOtherFields() {
    final ServiceDescriptor base =
        DescriptorMerge.merge(
                null,
                published("r1", file("a.txt", "a", 10, clock("r1", 1))).toBuilder()
                    .setInstallable(true)
                    .build(),
                NOW)
            .merged();
    final Item newerA = file("a.txt", "a2", 20, clock("r1", 1, "r2", 1));
    final Item newC = file("c.txt", "c", 20, clock("r2", 1));

    final DescriptorMerge.Result r =
        DescriptorMerge.merge(base, published("r2", newerA, newC), NOW);

    assertThat(r.changed()).isTrue();
    assertThat(r.merged().getItemsList()).containsExactly(newerA, newC);
    assertThat(r.merged().getInstallable()).isTrue();
    assertThat(r.merged().getDeviceId()).isEqualTo("device-r1");
  }

  @Test
  void merge_anOlderReport_changesNothing() {
    final ServiceDescriptor base =
        mergeAll(List.of(published("r1", tombstone("a.txt", 30, clock("r1", 2)))));

    final DescriptorMerge.Result r =
        DescriptorMerge.merge(base, published("r2", file("a.txt", "a", 10, clock("r1", 1))), NOW);

    assertThat(r.changed()).isFalse();
    assertThat(r.merged()).isEqualTo(base);
  }

  @Test
  void merge_isIdempotent_aReportMergedTwiceChangesNothingAndReportsNothingNew() {
    final ServiceDescriptor r1 = published("r1", file("a.txt", "one", 10, clock("r1", 1)));
    final ServiceDescriptor r2 = published("r2", file("a.txt", "two", 20, clock("r2", 1)));
    final ServiceDescriptor once = mergeAll(List.of(r1, r2));

    final DescriptorMerge.Result again = DescriptorMerge.merge(once, r2, NOW);
    final DescriptorMerge.Result itself = DescriptorMerge.merge(once, once, NOW);

    assertThat(again.changed()).isFalse();
    assertThat(again.conflicts()).isEmpty();
    assertThat(again.merged()).isEqualTo(once);
    assertThat(itself.changed()).isFalse();
    assertThat(itself.conflicts()).isEmpty();
  }

  @Test
  void merge_aConflict_keepsTheWinnerAndTheLosersCopy_andReportsIt() {
    final Item early = file("a.txt", "early", 10, clock("r1", 1));
    final Item late = file("a.txt", "late", 20, clock("r2", 1));
    final ServiceDescriptor base = mergeAll(List.of(published("r1", early)));

    final DescriptorMerge.Result r = DescriptorMerge.merge(base, published("r2", late), NOW);

    final String copy = ContentNames.conflictCopy("a.txt", "r1", sha256("early"));
    assertThat(r.merged().getItemsList()).extracting(Item::getName).containsExactly("a.txt", copy);
    assertThat(r.merged().getItems(0).getSha256()).isEqualTo(sha256("late"));
    assertThat(r.merged().getItems(1)).isEqualTo(early.toBuilder().setName(copy).build());
    assertThat(r.conflicts()).hasSize(1);
    assertThat(r.merged().getConflictsList()).isEqualTo(r.conflicts());
    assertThat(r.conflicts().get(0).getKeptAs()).isEqualTo(copy);
  }

  @Test
  void merge_twoServersInEitherOrder_giveTheSameItems() {
    final ServiceDescriptor r1 =
        published(
            "r1",
            file("a.txt", "one", 10, clock("r1", 1)),
            tombstone("b.txt", 15, clock("r0", 1, "r1", 1)),
            file("c.txt", "c", 10, clock("r0", 1)));
    final ServiceDescriptor r2 =
        published(
            "r2",
            file("a.txt", "two", 20, clock("r2", 1)),
            file("b.txt", "b2", 12, clock("r0", 1, "r2", 1)),
            file("d.txt", "d", 10, clock("r2", 3)));

    assertThat(mergeAll(List.of(r1, r2)).getItemsList())
        .isEqualTo(mergeAll(List.of(r2, r1)).getItemsList());
  }

  /**
   * Three concurrent versions of one item keep the same winner and the same contents in any order.
   * Which replica a copy's NAME credits is not order independent: once two versions merged, the
   * winner's clock holds both replicas' changes, and when that winner later loses to a third
   * version, {@link VersionVector#author} can only name the first of the two by name (see
   * docs/sync.md, "Three or more concurrent versions").
   */
  @Test
  void merge_threeConcurrentVersionsInAnyOrder_keepTheSameWinnerAndContents() {
    final ServiceDescriptor r1 = published("r1", file("a.txt", "one", 10, clock("r1", 1)));
    final ServiceDescriptor r2 = published("r2", file("a.txt", "two", 20, clock("r2", 1)));
    final ServiceDescriptor r3 = published("r3", file("a.txt", "three", 30, clock("r3", 1)));

    for (final List<ServiceDescriptor> order :
        List.of(
            List.of(r1, r2, r3),
            List.of(r1, r3, r2),
            List.of(r2, r1, r3),
            List.of(r2, r3, r1),
            List.of(r3, r2, r1),
            List.of(r3, r1, r2))) {
      final List<Item> items = mergeAll(order).getItemsList();
      assertThat(items.get(0).getName()).isEqualTo("a.txt");
      assertThat(items.get(0).getSha256()).as("winner, order %s", order).isEqualTo(sha256("three"));
      assertThat(items.get(0).getClockMap()).isEqualTo(clock("r1", 1, "r2", 1, "r3", 1));
      assertThat(items.subList(1, items.size()))
          .as("copies, order %s", order)
          .allSatisfy(copy -> assertThat(copy.getName()).startsWith("a.txt.conflict-"))
          .extracting(Item::getSha256)
          .containsExactlyInAnyOrder(sha256("one"), sha256("two"));
    }
  }

  @Test
  void merge_threeConcurrentVersions_reportTwoConflicts_inAnyOrder() {
    final ServiceDescriptor r1 = published("r1", file("a.txt", "one", 10, clock("r1", 1)));
    final ServiceDescriptor r2 = published("r2", file("a.txt", "two", 20, clock("r2", 1)));
    final ServiceDescriptor r3 = published("r3", file("a.txt", "three", 30, clock("r3", 1)));

    assertThat(mergeAll(List.of(r1, r2, r3)).getConflictsList()).hasSize(2);
    assertThat(mergeAll(List.of(r3, r1, r2)).getConflictsList()).hasSize(2);
  }

  @Test
  void merge_keepsTheNewestTwentyConflicts() {
    ServiceDescriptor merged = null;
    final List<Conflict> reported = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      final String name = "f" + i;
      merged =
          DescriptorMerge.merge(merged, published("r1", file(name, "x" + i, 10, clock("r1", 1))), i)
              .merged();
      final DescriptorMerge.Result r =
          DescriptorMerge.merge(
              merged, published("r2", file(name, "y" + i, 20, clock("r2", 1))), i);
      reported.addAll(r.conflicts());
      merged = r.merged();
    }

    assertThat(reported).hasSize(25);
    assertThat(merged.getConflictsList())
        .hasSize(DescriptorMerge.CONFLICTS_KEPT)
        .isEqualTo(reported.subList(5, 25));
  }

  @Test
  void synchronised_aReplicaOrAClockTakesPart_aHandWrittenDescriptorDoesNot() {
    assertThat(DescriptorMerge.synchronised(published("r1"))).isTrue();
    assertThat(
            DescriptorMerge.synchronised(
                ServiceDescriptor.newBuilder().addItems(file("a", "a", 1, clock("r1", 1))).build()))
        .isTrue();
    assertThat(
            DescriptorMerge.synchronised(
                ServiceDescriptor.newBuilder()
                    .setVersion(3)
                    .addItems(file("a", "a", 1, clock()))
                    .build()))
        .isFalse();
  }

  @Test
  void version_countsEveryChangeOfEveryItem_andIsAtLeastOne() {
    assertThat(
            DescriptorMerge.version(
                List.of(
                    file("a", "a", 1, clock("r1", 2, "r2", 1)), tombstone("b", 1, clock("r1", 4)))))
        .isEqualTo(7);
    assertThat(DescriptorMerge.version(List.of())).isEqualTo(1);
  }
}
