package io.troupe.router;

import java.util.List;

/**
 * What a departure set off.
 *
 * @param decisions requests re-routed away from the departed device
 * @param directives offline statuses and distribution lists to publish
 */
public record Departure(List<Decision> decisions, List<Directive> directives) {
  public static final Departure NONE = new Departure(List.of(), List.of());

  public Departure {
    decisions = List.copyOf(decisions);
    directives = List.copyOf(directives);
  }
}
