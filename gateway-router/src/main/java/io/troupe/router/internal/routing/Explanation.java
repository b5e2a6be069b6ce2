package io.troupe.router.internal.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Why the router chose a server for one attempt of a request, or why it chose none: the rule that
 * put the chosen server first, and each server it skipped with the reason.
 *
 * @param requestId the router's id of the request
 * @param address the address the consumer asked for
 * @param at when the choice was made, on the router's clock
 * @param attempt 1 for the first choice, then one more for each failover
 * @param server the chosen server; empty when none was usable
 * @param rule the rule that decided: {@code PRIMARY_FIRST}, {@code SECONDARY_FIRST}, {@code
 *     LEAST_LOADED}, {@code REDIRECT to X}, {@code named server} or {@code session (sticky to X)};
 *     empty when no server was usable
 * @param skipped the servers left out, each with the first reason that excluded it: the first
 *     {@link #NAMED_SKIPS} of them
 * @param unnamed how many more servers were left out than {@code skipped} names
 * @param area the consumer's area (its request's user property {@code area}); empty when it named
 *     none
 */
public record Explanation(
    String requestId,
    String address,
    Instant at,
    int attempt,
    Optional<String> server,
    String rule,
    List<Skip> skipped,
    int unnamed,
    String area) {

  /**
   * How many skipped servers an explanation names at most: a decision that looks at thousands of
   * servers builds and keeps one line for each of the first ones only, and counts the rest.
   */
  public static final int NAMED_SKIPS = 32;

  /** A server left out of one choice, and why. */
  public record Skip(String server, String reason) {
    public Skip {
      Objects.requireNonNull(server, "server");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return server + " " + reason;
    }
  }

  public Explanation {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(rule, "rule");
    skipped = List.copyOf(skipped);
    Objects.requireNonNull(area, "area");
    if (unnamed < 0) {
      throw new IllegalArgumentException("unnamed must not be negative: " + unnamed);
    }
  }

  /** One line for a reason or a log: the choice and what was skipped. */
  public String summary() {
    final String skips =
        skipped.stream().map(Skip::toString).collect(Collectors.joining(", "))
            + (unnamed == 0 ? "" : " and " + unnamed + " more");
    if (server.isPresent()) {
      return server.get() + " by " + rule + (skips.isEmpty() ? "" : "; skipped: " + skips);
    }
    return skips.isEmpty() ? "the service has no servers" : skips;
  }

  /** Collects an explanation while the stages run. */
  public static final class Builder {
    private final List<Skip> skipped = new ArrayList<>();
    private final java.util.Set<String> named = new java.util.HashSet<>();
    private int unnamed;
    private String rule = "";
    private String area = "";

    void skip(final String server, final String reason) {
      if (skipped.size() < NAMED_SKIPS) {
        skipped.add(new Skip(server, reason));
        named.add(server);
      } else {
        unnamed++;
      }
    }

    /** Whether {@code server} is among the skipped servers named so far. */
    boolean names(final String server) {
      return named.contains(server);
    }

    /** Whether another skip would still be named rather than counted. */
    boolean hasRoom() {
      return skipped.size() < NAMED_SKIPS;
    }

    /** {@code more} servers were left out without being looked at one by one. */
    void leftOut(final int more) {
      unnamed += more;
    }

    void consumerIn(final String area) {
      this.area = Objects.requireNonNull(area, "area");
    }

    void decidedBy(final String rule) {
      this.rule = rule;
    }

    List<Skip> skipped() {
      return List.copyOf(skipped);
    }

    Explanation build(
        final String requestId,
        final String address,
        final Instant at,
        final int attempt,
        final Optional<String> server) {
      return new Explanation(
          requestId,
          address,
          at,
          attempt,
          server,
          server.isPresent() ? rule : "",
          skipped,
          unnamed,
          area);
    }
  }
}
