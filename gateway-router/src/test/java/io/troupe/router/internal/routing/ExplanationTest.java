package io.troupe.router.internal.routing;

import static io.troupe.router.internal.routing.RoutingFiltersTest.ctx;
import static io.troupe.router.internal.routing.RoutingFiltersTest.disabled;
import static io.troupe.router.internal.routing.RoutingFiltersTest.server;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** An explanation names the first skipped servers and counts the rest, however many there are. */
class ExplanationTest {

  @Test
  void explanation_hundredServersSkipped_namesTheFirstAndCountsTheRest() {
    // given
    final List<Candidate> all =
        IntStream.range(0, 100).mapToObj(i -> disabled(server("dev" + i))).toList();
    final Explanation.Builder why = new Explanation.Builder();

    // when
    final Optional<String> chosen = ServerChoice.choose(all, ctx(), why);
    final Explanation e = why.build("r1", "echo.demo", Instant.EPOCH, 1, chosen);

    // then
    assertThat(chosen).isEmpty();
    assertThat(e.skipped())
        .hasSize(Explanation.NAMED_SKIPS)
        .first()
        .extracting(Explanation.Skip::server)
        .isEqualTo("dev0");
    assertThat(e.summary()).endsWith(" and " + (100 - Explanation.NAMED_SKIPS) + " more");
  }
}
