package io.troupe.router;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.troupe.proto.v1.GatewayRequest;
import java.util.Locale;
import java.util.Set;

/**
 * Community and service names are case-insensitive, as the DNS names they become labels of ({@code
 * abc.shoppinglist}): each is lower-cased where it enters the router (an API operation, the address
 * of a request, the community and service of a status or descriptor), so that the router stores,
 * compares and shows lower case only. {@code start shoppinglist --community ABC} then creates
 * {@code abc}. Device and identity names are not touched: they are the names clients log in with.
 */
public final class Names {

  /** The fields of an API operation that hold a community name, a service name or an address. */
  private static final Set<String> NAME_FIELDS = Set.of("address", "community", "service");

  private Names() {}

  /**
   * {@code name} in lower case ({@link Locale#ROOT}); {@code name} itself when it has no upper case
   * letter, which is the common case and costs no copy.
   */
  public static String normalize(final String name) {
    for (int i = 0; i < name.length(); i++) {
      final char c = name.charAt(i);
      if ((c >= 'A' && c <= 'Z') || c > 0x7f) {
        return name.toLowerCase(Locale.ROOT);
      }
    }
    return name;
  }

  /**
   * {@code request} with every community name, service name and address of its operation in lower
   * case: the fields named {@code address}, {@code community} and {@code service}, and the {@code
   * name} of a {@code CreateCommunity}. Nested messages (a rule's redirect names a device) and
   * member lists (identities) are left as they are.
   */
  public static GatewayRequest normalize(final GatewayRequest request) {
    final FieldDescriptor operation =
        request.getOneofFieldDescriptor(GatewayRequest.getDescriptor().getOneofs().get(0));
    if (operation == null) {
      return request;
    }
    final Message op = (Message) request.getField(operation);
    Message.Builder changed = null;
    for (final FieldDescriptor field : op.getDescriptorForType().getFields()) {
      if (field.isRepeated()
          || field.getJavaType() != FieldDescriptor.JavaType.STRING
          || !(NAME_FIELDS.contains(field.getName()) || namesACommunity(operation, field))) {
        continue;
      }
      final String value = (String) op.getField(field);
      final String lower = normalize(value);
      if (!lower.equals(value)) {
        changed = changed == null ? op.toBuilder() : changed;
        changed.setField(field, lower);
      }
    }
    return changed == null
        ? request
        : request.toBuilder().setField(operation, changed.build()).build();
  }

  private static boolean namesACommunity(
      final FieldDescriptor operation, final FieldDescriptor field) {
    return operation.getNumber() == GatewayRequest.CREATE_COMMUNITY_FIELD_NUMBER
        && field.getName().equals("name");
  }
}
