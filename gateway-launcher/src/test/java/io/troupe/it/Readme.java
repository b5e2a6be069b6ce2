package io.troupe.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository's README.md, read as {@link ReadmeWalkthroughIT} runs it. */
final class Readme {

  /** A {@code bash} block of the walkthrough and the number of the step it belongs to. */
  record Block(int step, String text) {}

  private static final Pattern STEP = Pattern.compile("(?m)^(\\d+)\\. ");

  private static final Pattern BASH = Pattern.compile("(?s)```bash\\n(.*?)\\n\\s*```");

  private Readme() {}

  /**
   * The README's text: {@code -Dtroupe.readme=FILE}, else the repository's (the tests run in
   * gateway-launcher/).
   */
  static String text() throws IOException {
    return Files.readString(Path.of(System.getProperty("troupe.readme", "../README.md")));
  }

  /** The {@code bash} blocks of the section "## Walkthrough…", in order. */
  static List<Block> walkthroughBlocks(final String readme) {
    final int start = readme.indexOf("\n## Walkthrough");
    if (start < 0) {
      throw new IllegalStateException("the README has no section '## Walkthrough'");
    }
    final int end = readme.indexOf("\n## ", start + 1);
    final String section = readme.substring(start, end < 0 ? readme.length() : end);
    final List<Block> blocks = new ArrayList<>();
    final Matcher bash = BASH.matcher(section);
    while (bash.find()) {
      blocks.add(new Block(stepAt(section, bash.start()), dedent(bash.group(1))));
    }
    return blocks;
  }

  /**
   * The commands of a block, as bash reads them: a line continued with a trailing backslash, or
   * inside an unclosed parenthesis, belongs to the command it continues.
   */
  static List<String> commands(final String block) {
    final List<String> commands = new ArrayList<>();
    final StringBuilder command = new StringBuilder();
    int depth = 0;
    for (final String line : block.split("\n")) {
      if (command.length() == 0 && line.isBlank()) {
        continue;
      }
      command.append(line).append('\n');
      final String code = line.replaceAll("\\s#.*$", "");
      depth += count(code, '(') - count(code, ')');
      if (depth <= 0 && !code.endsWith("\\")) {
        commands.add(command.toString().stripTrailing());
        command.setLength(0);
        depth = 0;
      }
    }
    if (command.length() > 0) {
      throw new IllegalStateException("an unfinished command in the README: " + command);
    }
    return commands;
  }

  private static int stepAt(final String section, final int offset) {
    int step = 0;
    final Matcher m = STEP.matcher(section);
    while (m.find() && m.start() < offset) {
      step = Integer.parseInt(m.group(1));
    }
    return step;
  }

  /** The block without the indentation of its list item. */
  private static String dedent(final String block) {
    final int indent =
        block
            .lines()
            .filter(l -> !l.isBlank())
            .mapToInt(l -> l.length() - l.stripLeading().length())
            .min()
            .orElse(0);
    final StringBuilder text = new StringBuilder();
    block
        .lines()
        .forEach(l -> text.append(l.length() >= indent ? l.substring(indent) : "").append('\n'));
    return text.toString();
  }

  private static int count(final String s, final char c) {
    return (int) s.chars().filter(x -> x == c).count();
  }
}
