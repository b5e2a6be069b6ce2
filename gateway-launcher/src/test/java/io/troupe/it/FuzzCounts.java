package io.troupe.it;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;

/** What {@link FuzzIT} sent and got back, by kind, shared by its threads. */
final class FuzzCounts {

  private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

  /** Findings worth a look: an internal error, with what caused it. */
  final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();

  void add(final String key) {
    counts.computeIfAbsent(key, k -> new LongAdder()).increment();
  }

  long get(final String key) {
    final LongAdder n = counts.get(key);
    return n == null ? 0 : n.sum();
  }

  /** The total of every count whose key starts with {@code prefix}. */
  long sum(final String prefix) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().startsWith(prefix))
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }

  void problem(final String what) {
    if (problems.size() < 20) {
      problems.add(what);
    }
  }

  @Override
  public String toString() {
    final StringBuilder s = new StringBuilder();
    new TreeMap<>(counts).forEach((k, v) -> s.append(String.format("  %-40s %,9d%n", k, v.sum())));
    return s.toString();
  }
}
