package io.troupe.contract.content;

import static io.troupe.contract.content.Versions.clock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.troupe.contract.content.VersionVector.Order;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VersionVectorTest {

  @Test
  void compare_sameChanges_isEqual_andMissingEntriesCountAsZero() {
    assertThat(VersionVector.compare(clock("a", 1, "b", 2), clock("b", 2, "a", 1)))
        .isEqualTo(Order.EQUAL);
    assertThat(VersionVector.compare(clock("a", 1, "b", 0), clock("a", 1))).isEqualTo(Order.EQUAL);
    assertThat(VersionVector.compare(Map.of(), Map.of())).isEqualTo(Order.EQUAL);
  }

  @Test
  void compare_oneIncludesTheOthersChangesAndMore_isAfterOrBefore() {
    assertThat(VersionVector.compare(clock("a", 2, "b", 1), clock("a", 1, "b", 1)))
        .isEqualTo(Order.AFTER);
    assertThat(VersionVector.compare(clock("a", 1), clock("a", 1, "b", 1))).isEqualTo(Order.BEFORE);
    assertThat(VersionVector.compare(Map.of(), clock("c", 1))).isEqualTo(Order.BEFORE);
  }

  @Test
  void compare_eachHasAChangeTheOtherLacks_isConcurrent() {
    assertThat(VersionVector.compare(clock("a", 2, "b", 1), clock("a", 1, "b", 2)))
        .isEqualTo(Order.CONCURRENT);
    assertThat(VersionVector.compare(clock("a", 1), clock("b", 1))).isEqualTo(Order.CONCURRENT);
  }

  @Test
  void merge_takesTheEntryWiseMaximum_dropsZeros_andLeavesArgumentsAlone() {
    final Map<String, Long> a = clock("a", 3, "b", 1, "z", 0);
    final Map<String, Long> b = clock("b", 4, "c", 1);

    final Map<String, Long> merged = VersionVector.merge(a, b);

    assertThat(merged).containsExactlyEntriesOf(clock("a", 3, "b", 4, "c", 1));
    assertThat(VersionVector.compare(merged, a)).isEqualTo(Order.AFTER);
    assertThat(VersionVector.compare(merged, b)).isEqualTo(Order.AFTER);
    assertThat(a).containsExactlyEntriesOf(clock("a", 3, "b", 1, "z", 0));
    assertThat(VersionVector.merge(b, a)).isEqualTo(merged);
  }

  @Test
  void increment_countsOneMoreChangeOfThatReplica_only() {
    final Map<String, Long> before = clock("a", 1);

    assertThat(VersionVector.increment(before, "a")).containsExactlyEntriesOf(clock("a", 2));
    assertThat(VersionVector.increment(before, "b"))
        .containsExactlyEntriesOf(clock("a", 1, "b", 1));
    assertThat(VersionVector.compare(VersionVector.increment(before, "b"), before))
        .isEqualTo(Order.AFTER);
    assertThat(before).containsExactlyEntriesOf(clock("a", 1));
  }

  @Test
  void increment_withoutAReplica_isRefused() {
    assertThatThrownBy(() -> VersionVector.increment(clock("a", 1), ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("replica");
  }

  @Test
  void sum_countsTheChangesOverAllReplicas() {
    assertThat(VersionVector.sum(clock("a", 3, "b", 4))).isEqualTo(7);
    assertThat(VersionVector.sum(Map.of())).isZero();
  }

  @Test
  void author_isTheFirstReplicaByNameWhoseChangeTheOtherLacks() {
    assertThat(VersionVector.author(clock("b", 2, "c", 1), clock("b", 1))).isEqualTo("b");
    assertThat(VersionVector.author(clock("a", 1, "c", 1), clock("a", 1))).isEqualTo("c");
    assertThat(VersionVector.author(clock("a", 1), clock("a", 2))).isEmpty();
    assertThat(VersionVector.author(clock("a", 1), clock("a", 1))).isEmpty();
  }
}
