package io.troupe.router;

import java.util.List;

/** What a descriptor changed: the verdict, and the sync directives to send. */
public record DescriptorReport(Verdict verdict, List<Directive> directives) {
  public DescriptorReport {
    directives = List.copyOf(directives);
  }
}
