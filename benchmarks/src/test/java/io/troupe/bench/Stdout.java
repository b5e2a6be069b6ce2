package io.troupe.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** What a benchmark prints, captured while it still reaches the console. */
public final class Stdout {

  /** A benchmark run. */
  @FunctionalInterface
  public interface Run<T> {
    T call() throws Exception;
  }

  /** A value and what was printed while it was computed. */
  public record Printed<T>(T value, String text) {}

  private Stdout() {}

  public static <T> Printed<T> capture(final Run<T> run) throws Exception {
    final PrintStream console = System.out;
    final ByteArrayOutputStream copy = new ByteArrayOutputStream();
    System.setOut(
        new PrintStream(
            new OutputStream() {
              @Override
              public void write(final int b) {
                console.write(b);
                copy.write(b);
              }

              @Override
              public void write(final byte[] b, final int off, final int len) {
                console.write(b, off, len);
                copy.write(b, off, len);
              }
            },
            true,
            StandardCharsets.UTF_8));
    try {
      final T value = run.call();
      System.out.flush();
      return new Printed<>(value, copy.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(console);
    }
  }
}
