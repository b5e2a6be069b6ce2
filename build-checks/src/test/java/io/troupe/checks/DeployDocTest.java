package io.troupe.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/deploy.md} renders as written: each table is one table (a blank line inside one ends
 * it and turns the rest into text), every row has as many cells as its header, and no stale "Not
 * yet" line stays behind once a feature exists.
 */
class DeployDocTest {

  private static final String DOCUMENT = "docs/deploy.md";

  private static List<String> lines() {
    return Repository.read(Repository.root().resolve(DOCUMENT)).lines().toList();
  }

  @Test
  void everyTable_isOneTableWithFullRows() {
    assertThat(problems(lines())).isEmpty();
  }

  @Test
  void aBlankLineInATable_isFound() {
    assertThat(problems(List.of("| a | b |", "| --- | --- |", "| 1 | 2 |", "", "| 3 | 4 |")))
        .containsExactly("line 5: a table row after a blank line (the table above ends there)");
  }

  @Test
  void aShortRow_isFound() {
    assertThat(problems(List.of("| a | b |", "| --- | --- |", "| `x|y` | 2 |", "| 1 |")))
        .containsExactly("line 4: 1 cells where the header has 2");
  }

  @Test
  void noNotYetLines() {
    assertThat(lines()).noneMatch(l -> l.strip().startsWith("- Not yet"));
  }

  /**
   * What would make the tables in {@code lines} render other than as written. Between rows, an HTML
   * comment (the markers engineers add rows under) is allowed.
   */
  static List<String> problems(final List<String> lines) {
    final List<String> problems = new ArrayList<>();
    int columns = 0;
    boolean blankAfterTable = false;
    for (int i = 0; i < lines.size(); i++) {
      final String line = lines.get(i).strip();
      final boolean row = line.startsWith("|");
      if (row
          && columns == 0
          && i + 1 < lines.size()
          && lines.get(i + 1).strip().startsWith("| -")) {
        if (blankAfterTable) {
          problems.add(
              "line " + (i + 1) + ": a table row after a blank line (the table above ends there)");
        }
        columns = cells(line);
        blankAfterTable = false;
      } else if (row && columns > 0) {
        if (!line.startsWith("| -") && cells(line) != columns) {
          problems.add(
              "line " + (i + 1) + ": " + cells(line) + " cells where the header has " + columns);
        }
      } else if (row && blankAfterTable) {
        problems.add(
            "line " + (i + 1) + ": a table row after a blank line (the table above ends there)");
        blankAfterTable = false;
      } else if (line.startsWith("<!--") && columns > 0) {
        continue;
      } else if (line.isEmpty() && columns > 0) {
        columns = 0;
        blankAfterTable = true;
      } else if (!line.isEmpty()) {
        blankAfterTable = false;
        columns = 0;
      }
    }
    return problems;
  }

  /** Cells of a row: pipes inside backticks or escaped are text. */
  private static int cells(final String row) {
    int pipes = 0;
    boolean code = false;
    for (int i = 0; i < row.length(); i++) {
      final char c = row.charAt(i);
      if (c == '`') {
        code = !code;
      } else if (c == '|' && !code && (i == 0 || row.charAt(i - 1) != '\\')) {
        pipes++;
      }
    }
    return pipes - 1;
  }
}
