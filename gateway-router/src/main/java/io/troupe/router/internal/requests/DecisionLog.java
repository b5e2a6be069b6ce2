package io.troupe.router.internal.requests;

import io.troupe.router.internal.routing.Explanation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The last few {@link Explanation}s per address, for {@code why}. Bounded twice: a few decisions
 * per address, and the least recently decided addresses forgotten first. Not thread-safe: the
 * router's lock guards it.
 */
final class DecisionLog {

  private final int perAddress;
  private final Map<String, Deque<Explanation>> byAddress;

  DecisionLog(final int perAddress, final int addresses) {
    if (perAddress < 1 || addresses < 1) {
      throw new IllegalArgumentException("perAddress and addresses must be positive");
    }
    this.perAddress = perAddress;
    this.byAddress =
        new LinkedHashMap<>(64, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(final Map.Entry<String, Deque<Explanation>> eldest) {
            return size() > addresses;
          }
        };
  }

  void record(final Explanation e) {
    final Deque<Explanation> last = byAddress.computeIfAbsent(e.address(), a -> new ArrayDeque<>());
    if (last.size() == perAddress) {
      last.removeFirst();
    }
    last.addLast(e);
  }

  /** Oldest first. */
  List<Explanation> last(final String address) {
    final Deque<Explanation> last = byAddress.get(address);
    return last == null ? List.of() : List.copyOf(last);
  }
}
