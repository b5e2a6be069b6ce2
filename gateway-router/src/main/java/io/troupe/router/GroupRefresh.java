package io.troupe.router;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one read of a community's directory group gave (R16), for {@link
 * GatewayRouter#refreshGroup}: the group's members, or why they could not be read.
 */
public sealed interface GroupRefresh {

  /** The group's members as the directory named them. */
  record Members(Set<String> names) implements GroupRefresh {
    public Members {
      names = Set.copyOf(names);
    }
  }

  /** The group could not be read: the community's members stay as they are. */
  record Failed(String why) implements GroupRefresh {
    public Failed {
      Objects.requireNonNull(why, "why");
    }
  }

  /** What the router made of a refresh. */
  enum Outcome {
    /** The members were applied (whether or not anything changed). */
    APPLIED,
    /** The directory could not be read; nothing changed. */
    FAILED,
    /** The group had more members than {@code max-group-members}; nothing changed. */
    TOO_LARGE,
    /** The community is gone or now follows another group; nothing changed. */
    STALE
  }

  /**
   * What a refresh did.
   *
   * @param outcome what the router made of it
   * @param status the community's {@code group_status} now
   * @param directives what the gateway must carry out: distribution lists to republish, retained
   *     topics of members who lost their place to clear
   */
  record Result(Outcome outcome, String status, List<Directive> directives) {
    public Result {
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(status, "status");
      directives = List.copyOf(directives);
    }
  }

  /** A community formed from a directory group, as the poller reads it. */
  record Grouped(String community, String group) {}
}
