package io.troupe.coap;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.MessageOrBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Prints a protobuf message as JSON the way protobuf's canonical JSON mapping does for what the
 * gateway retains: lowerCamelCase names, fields at their default omitted, enums by name, 64-bit
 * integers as strings, bytes in base64, maps as objects. Written here because protobuf-java-util is
 * not a dependency of the gateway; there are no well-known types in these messages.
 */
final class ProtoJson {

  private ProtoJson() {}

  static String print(final MessageOrBuilder message) {
    final StringBuilder out = new StringBuilder();
    message(message, out);
    return out.toString();
  }

  private static void message(final MessageOrBuilder message, final StringBuilder out) {
    out.append('{');
    boolean first = true;
    // getAllFields: the set fields only, in field-number order
    for (final Map.Entry<FieldDescriptor, Object> e : message.getAllFields().entrySet()) {
      if (!first) {
        out.append(',');
      }
      first = false;
      final FieldDescriptor field = e.getKey();
      string(field.getJsonName(), out);
      out.append(':');
      if (field.isMapField()) {
        map(field, (List<?>) e.getValue(), out);
      } else if (field.isRepeated()) {
        out.append('[');
        final List<?> values = (List<?>) e.getValue();
        for (int i = 0; i < values.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          value(field, values.get(i), out);
        }
        out.append(']');
      } else {
        value(field, e.getValue(), out);
      }
    }
    out.append('}');
  }

  private static void map(
      final FieldDescriptor field, final List<?> entries, final StringBuilder out) {
    final FieldDescriptor key = field.getMessageType().findFieldByNumber(1);
    final FieldDescriptor value = field.getMessageType().findFieldByNumber(2);
    out.append('{');
    for (int i = 0; i < entries.size(); i++) {
      final MessageOrBuilder entry = (MessageOrBuilder) entries.get(i);
      if (i > 0) {
        out.append(',');
      }
      string(String.valueOf(entry.getField(key)), out);
      out.append(':');
      value(value, entry.getField(value), out);
    }
    out.append('}');
  }

  private static void value(
      final FieldDescriptor field, final Object value, final StringBuilder out) {
    switch (field.getJavaType()) {
      case MESSAGE -> message((MessageOrBuilder) value, out);
      case ENUM -> string(((EnumValueDescriptor) value).getName(), out);
      case STRING -> string((String) value, out);
      case BYTE_STRING ->
          string(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()), out);
      case BOOLEAN -> out.append(value);
      case LONG ->
          string(unsigned(field) ? Long.toUnsignedString((Long) value) : value.toString(), out);
      case INT -> out.append(unsigned(field) ? Integer.toUnsignedString((Integer) value) : value);
      case FLOAT, DOUBLE -> {
        final double d = ((Number) value).doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
          string(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity", out);
        } else {
          out.append(value);
        }
      }
    }
  }

  private static boolean unsigned(final FieldDescriptor field) {
    return switch (field.getType()) {
      case UINT32, FIXED32, UINT64, FIXED64 -> true;
      default -> false;
    };
  }

  private static void string(final String s, final StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
