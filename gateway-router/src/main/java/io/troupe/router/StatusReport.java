package io.troupe.router;

import java.util.List;

/**
 * What a status changed: the verdict, the distribution lists to republish, and the requests held
 * for a volunteer (R16) that go to the device now that it serves and reports itself available.
 *
 * @param verdict allowed, or refused with the reason; a refused status changes nothing
 * @param directives the distribution lists to republish
 * @param decisions the held requests' forwards, in the order they arrived, to carry out as any
 *     {@link Decision} of {@link GatewayRouter#onRequest} is
 */
public record StatusReport(Verdict verdict, List<Directive> directives, List<Decision> decisions) {
  public StatusReport {
    java.util.Objects.requireNonNull(verdict, "verdict");
    directives = List.copyOf(directives);
    decisions = List.copyOf(decisions);
  }

  /** A status that forwards no held request. */
  public StatusReport(final Verdict verdict, final List<Directive> directives) {
    this(verdict, directives, List.of());
  }

  /** This report with {@code forwarded} as its decisions. */
  public StatusReport withDecisions(final List<Decision> forwarded) {
    return new StatusReport(verdict, directives, forwarded);
  }
}
