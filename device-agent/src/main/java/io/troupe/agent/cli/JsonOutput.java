package io.troupe.agent.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * The {@code --json} option of the commands whose output scripts read ({@code table}, {@code why},
 * {@code catalogue}, {@code browse}, {@code identity list}): the gateway's answer as one JSON
 * document, in protobuf's JSON mapping (field names in lowerCamelCase, enums by name, 64-bit
 * integers as strings, fields at their default value left out).
 */
final class JsonOutput {

  private static final JsonFormat.Printer PRINTER = JsonFormat.printer();

  @Option(
      names = "--json",
      description = "Print the gateway's answer as one JSON document (protobuf's JSON mapping).")
  boolean json;

  /** {@code answer} as JSON with {@code --json}, else as {@code text} writes it. */
  <M extends MessageOrBuilder> String format(final M answer, final Function<M, String> text) {
    return json ? json(answer) : text.apply(answer);
  }

  /** {@code message} as one JSON document and a line end. */
  static String json(final MessageOrBuilder message) {
    try {
      return PRINTER.print(message) + "\n";
    } catch (final InvalidProtocolBufferException e) {
      // only an Any of an unknown type fails, and the API's answers hold none
      throw new IllegalStateException("cannot print " + message.getClass().getSimpleName(), e);
    }
  }
}
