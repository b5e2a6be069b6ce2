package io.troupe.router.internal.locks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterLocksTest {

  private final RouterLocks locks = new RouterLocks();

  @Test
  void changes_thenRouting_runsBoth() {
    final int answer = locks.changes(() -> locks.routing(() -> 42));

    assertThat(answer).isEqualTo(42);
  }

  @Test
  void changes_insideRouting_isRefusedAsTheWrongOrder() {
    assertThatThrownBy(() -> locks.routing(() -> locks.changes(() -> 1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the routing lock");
  }

  @Test
  void routing_insideRouting_isReentrant() {
    assertThat(locks.routing(() -> locks.routing(() -> "again"))).isEqualTo("again");
  }
}
