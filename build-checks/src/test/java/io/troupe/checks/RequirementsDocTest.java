package io.troupe.checks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/requirements.md} stays true to the code: every requirement the code or a document
 * cites ({@code R7}) is defined there, and every class or test it names exists as a {@code .java}
 * file, so that a rename breaks the build instead of the document, silently.
 */
class RequirementsDocTest {

  private static final Pattern CITATION = Pattern.compile("\\bR(\\d{1,3})\\b");
  private static final Pattern HEADING = Pattern.compile("(?m)^### R(\\d+) \\S");
  private static final Pattern NAMED = Pattern.compile("`([^`]*)`");
  private static final Pattern SIMPLE_NAME = Pattern.compile("[A-Z][A-Za-z0-9]*");
  private static final Pattern STATUS = Pattern.compile("(?m)^- Status: (.*)$");

  /** The lines of a requirement that name classes: what implements it, what proves it. */
  private static final List<String> NAMING_ITEMS = List.of("- Implemented by:", "- Proven by:");

  private static String document;
  private static Map<Integer, String> requirements;

  @BeforeAll
  static void read() {
    document = Repository.read(Repository.root().resolve("docs/requirements.md"));
    requirements = sections(document);
  }

  @Test
  void everyRequirementCitedInCodeOrDocs_isDefined() {
    // given
    final Map<Integer, Set<String>> citedWhere = new TreeMap<>();
    for (final Path file : Repository.sources(".java", ".proto", ".md", ".yaml")) {
      final Matcher m = CITATION.matcher(Repository.read(file));
      while (m.find()) {
        citedWhere
            .computeIfAbsent(Integer.parseInt(m.group(1)), r -> new TreeSet<>())
            .add(Repository.root().relativize(file).toString());
      }
    }

    // when
    final Map<Integer, Set<String>> undefined = new TreeMap<>(citedWhere);
    undefined.keySet().removeAll(requirements.keySet());

    // then
    assertThat(citedWhere).as("requirement citations found in the code and docs").isNotEmpty();
    assertThat(undefined)
        .as("requirements cited but not defined in docs/requirements.md (R: files)")
        .isEmpty();
  }

  @Test
  void requirements_areDefinedOnceEach_inOrder() {
    final List<Integer> headings =
        HEADING.matcher(document).results().map(m -> Integer.parseInt(m.group(1))).toList();

    assertThat(headings).as("the R numbers of the headings, in order").isSorted();
    assertThat(headings).as("R numbers defined more than once").doesNotHaveDuplicates();
    assertThat(headings).as("R numbers defined").startsWith(1);
  }

  @Test
  void everyClassTheDocumentNames_existsInTheRepository() {
    // given
    final Set<String> javaFiles =
        Repository.sources(".java").stream()
            .map(f -> f.getFileName().toString().replaceFirst("\\.java$", ""))
            .collect(Collectors.toSet());

    // when
    final Map<String, Set<String>> missing = new TreeMap<>();
    requirements.forEach(
        (r, section) -> {
          for (final String name : namedClasses(section)) {
            if (!SIMPLE_NAME.matcher(name).matches() || !javaFiles.contains(name)) {
              missing.computeIfAbsent(name, n -> new TreeSet<>()).add("R" + r);
            }
          }
        });

    // then
    assertThat(missing)
        .as("names in docs/requirements.md with no .java file of that name (name: where)")
        .isEmpty();
  }

  @Test
  void everyRequirementBuiltAtAll_namesWhatImplementsAndProvesIt() {
    final Map<Integer, String> lacking = new TreeMap<>();
    requirements.forEach(
        (r, section) -> {
          final Matcher status = STATUS.matcher(section);
          if (!status.find()) {
            lacking.put(r, "no '- Status:' line");
          } else if (!status.group(1).startsWith("not yet")) {
            for (final String item : NAMING_ITEMS) {
              if (!section.contains("\n" + item + " `")) {
                lacking.put(r, "no '" + item + "' line naming a class");
              }
            }
          }
        });

    assertThat(lacking).as("requirements with status other than 'not yet'").isEmpty();
  }

  /** Each requirement's section, from its heading to the next heading. */
  private static Map<Integer, String> sections(final String text) {
    final Map<Integer, String> sections = new LinkedHashMap<>();
    final Matcher m = HEADING.matcher(text);
    int number = -1;
    int start = -1;
    while (m.find()) {
      if (number >= 0) {
        sections.put(number, text.substring(start, m.start()));
      }
      number = Integer.parseInt(m.group(1));
      start = m.start();
    }
    if (number >= 0) {
      final int next = text.indexOf("\n#", start + 1);
      sections.put(number, text.substring(start, next < 0 ? text.length() : next));
    }
    return sections;
  }

  /**
   * The names in backticks on a section's "Implemented by" and "Proven by" items; an item is a line
   * starting with {@code - } and the indented lines that continue it.
   */
  private static List<String> namedClasses(final String section) {
    final List<String> items = new ArrayList<>();
    for (final String line : section.split("\n")) {
      if (line.startsWith("- ")) {
        items.add(line);
      } else if (line.startsWith("  ") && !items.isEmpty()) {
        items.set(items.size() - 1, items.get(items.size() - 1) + " " + line.strip());
      }
    }
    final List<String> names = new ArrayList<>();
    for (final String item : items) {
      if (NAMING_ITEMS.stream().anyMatch(item::startsWith)) {
        NAMED.matcher(item).results().forEach(m -> names.add(m.group(1)));
      }
    }
    return names;
  }
}
