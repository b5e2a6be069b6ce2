package io.troupe.contract.content;

import com.google.protobuf.ByteString;
import java.util.HexFormat;

/** Names and hashes of synchronised items. */
public final class ContentNames {

  /** The hex digits of a losing version's hash that its kept copy's name carries. */
  private static final int COPY_HASH_HEX = 8;

  private ContentNames() {}

  /**
   * Where the losing version of a conflict on {@code item} is kept: {@code
   * {item}.conflict-{replica}-{first 8 hex digits of its hash}}, beside the winner.
   */
  public static String conflictCopy(
      final String item, final String loserReplica, final ByteString loserSha256) {
    final String hex = hex(loserSha256);
    return item
        + ".conflict-"
        + loserReplica
        + "-"
        + hex.substring(0, Math.min(COPY_HASH_HEX, hex.length()));
  }

  /** Lower-case hex of a hash, as the sync fetch names it. */
  public static String hex(final ByteString sha256) {
    return HexFormat.of().formatHex(sha256.toByteArray());
  }

  /**
   * The hash a sync fetch names in hex.
   *
   * @throws IllegalArgumentException unless it is 64 hex digits (a SHA-256)
   */
  public static ByteString sha256(final String hex) {
    if (hex.length() != 64) {
      throw new IllegalArgumentException("a SHA-256 is 64 hex digits, not " + hex.length());
    }
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }
}
