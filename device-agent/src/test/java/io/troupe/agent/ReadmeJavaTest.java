package io.troupe.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.StandardLocation;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's {@code java} blocks compile as a reader would paste them: their imports at the top
 * of a file, their statements in the body of a method that may throw, against this module's class
 * path. A snippet that names a type it does not import, or a variable it never declared, fails.
 */
class ReadmeJavaTest {

  private static final Pattern JAVA = Pattern.compile("(?s)```java\\n(.*?)\\n```");

  @Test
  void readmeJavaSnippets_compileWithTheImportsTheyName(@TempDir final Path classes)
      throws IOException {
    final String readme = Files.readString(Path.of("..", "README.md"));
    final List<String> snippets = new ArrayList<>();
    final Matcher java = JAVA.matcher(readme);
    while (java.find()) {
      snippets.add(java.group(1));
    }
    assertThat(snippets).as("the README's java blocks").isNotEmpty();
    for (int i = 0; i < snippets.size(); i++) {
      final String diagnostics = compile("ReadmeSnippet" + i, snippets.get(i), classes);
      assertThat(diagnostics).as("README java block %d:%n%s", i + 1, snippets.get(i)).isEmpty();
    }
  }

  @Test
  void aSnippetWithoutItsImport_doesNotCompile(@TempDir final Path classes) throws IOException {
    assertThat(compile("Unimported", "TroupeAgent agent = null;", classes))
        .contains("cannot find symbol");
  }

  /** Compiles {@code snippet} wrapped as class {@code name}; returns javac's errors, or "". */
  private static String compile(final String name, final String snippet, final Path classes)
      throws IOException {
    final StringBuilder imports = new StringBuilder();
    final StringBuilder body = new StringBuilder();
    for (final String line : snippet.split("\n")) {
      (line.startsWith("import ") ? imports : body).append(line).append('\n');
    }
    final String source =
        imports
            + "class "
            + name
            + " {\n  @SuppressWarnings(\"unused\")\n  void run() throws Exception {\n"
            + body
            + "  }\n}\n";
    final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    final StringWriter errors = new StringWriter();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, null)) {
      files.setLocation(StandardLocation.CLASS_OUTPUT, List.of(classes.toFile()));
      final JavaFileObject file =
          new SimpleJavaFileObject(
              URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(final boolean ignoreEncodingErrors) {
              return source;
            }
          };
      final boolean ok =
          javac
              .getTask(
                  errors,
                  files,
                  null,
                  List.of("-classpath", classPath(), "-proc:none", "-Xlint:none"),
                  null,
                  List.of(file))
              .call();
      return ok ? "" : errors.toString();
    }
  }

  /** The test class path; Surefire's manifest-only jar hides it from java.class.path. */
  private static String classPath() {
    return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
  }
}
