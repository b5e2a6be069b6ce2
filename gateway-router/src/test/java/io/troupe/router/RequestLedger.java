package io.troupe.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fuzz test's account of requests: every forward the router decided, and every answer, which
 * must be the only one its request gets.
 */
public final class RequestLedger {

  /** Every forward so far, for replies and timers to aim at. */
  final List<Decision.Forward> forwards = new ArrayList<>();

  private final Map<String, Integer> answers = new HashMap<>();
  private final Set<String> open = new HashSet<>();
  private final Map<Integer, Integer> codes = new TreeMap<>();
  private int forwarded;

  /** A new router: its requests are not this ledger's to wait for. */
  void clearInFlight() {
    forwards.clear();
    open.clear();
  }

  void take(final List<Decision> decisions) {
    assertThat(decisions).doesNotContainNull();
    decisions.forEach(this::take);
  }

  void take(final Decision decision) {
    assertThat(decision).isNotNull();
    if (decision instanceof Decision.Forward fw) {
      forwards.add(fw);
      open.add(fw.requestId());
      forwarded++;
    } else if (decision instanceof Decision.Answer a) {
      final int n = answers.merge(a.requestId(), 1, Integer::sum);
      assertThat(n).as("answers to request %s", a.requestId()).isEqualTo(1);
      open.remove(a.requestId());
      codes.merge(a.code(), 1, Integer::sum);
    }
  }

  /** Fires every timer, long after every deadline: each request must then have its answer. */
  void drain(final RouterFixture f) {
    int done = 0;
    while (done < forwards.size()) {
      final Decision.Forward fw = forwards.get(done++);
      take(f.router.onForwardTimeout(fw.requestId(), fw.attempt()));
    }
    assertThat(f.router.pendingCount()).isZero();
    assertThat(open).as("requests never answered").isEmpty();
  }

  boolean answeredAny() {
    return !answers.isEmpty();
  }

  @Override
  public String toString() {
    return forwarded + " forwards; requests answered by status: " + codes;
  }
}
