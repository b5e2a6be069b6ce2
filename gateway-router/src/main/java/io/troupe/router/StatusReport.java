package io.troupe.router;

import java.util.List;

/** What a status changed: the verdict, and the distribution lists to republish. */
public record StatusReport(Verdict verdict, List<Directive> directives) {
  public StatusReport {
    directives = List.copyOf(directives);
  }
}
