package io.troupe.contract.content;

/**
 * The wire contract of fetching an item's content from another member (R4). The fetching server
 * sends an ordinary MQTT 5 request to its service's address ({@code {root}/s/{address}}) with the
 * user properties below; the gateway checks that the requester serves the service (anyone else:
 * 403), forwards it as a {@code TunnelRequest} with method {@link #METHOD} and path the hash in hex
 * (a bundle's hashes, comma-separated) to a server whose descriptor holds that hash (every one)
 * (never the requester, never one it excludes), and relays the answer. Sync fetches are
 * server-to-server traffic: no consumer policy counts them; they are bounded per service instead.
 */
public final class SyncFetch {

  /**
   * Request property: the SHA-256 of the content wanted, 64 lower-case hex digits; or a bundle, up
   * to {@link #MAX_BUNDLE} such hashes separated by commas, each content wanted whole (no {@link
   * #OFFSET}), their sizes adding up to at most {@link #MAX_CHUNK}. A bundle goes to a member that
   * holds every one of them, and its answer is their contents one after another, in the order asked
   * ({@link #SIZE}: their sum): the fetcher cuts it by the items' sizes and checks each hash. Many
   * small items thus cost one request, not one each.
   */
  public static final String ITEM = "troupe-sync";

  /** The most contents one bundle asks for. */
  public static final int MAX_BUNDLE = 64;

  /** Request property: the first byte wanted (decimal; 0 when absent). */
  public static final String OFFSET = "troupe-sync-offset";

  /** Request property: how many bytes at most (decimal; at most {@link #MAX_CHUNK}). */
  public static final String LENGTH = "troupe-sync-length";

  /**
   * Request property: servers not to fetch from, comma-separated, as the answers' {@code server}
   * property named them (one sent corrupt content, or went away mid-transfer).
   */
  public static final String EXCLUDE = "troupe-sync-exclude";

  /** Answer property: the item's whole size in bytes (decimal). */
  public static final String SIZE = "troupe-sync-size";

  /** The method of the tunnel request a source answers with the chunk's bytes. */
  public static final String METHOD = "SYNC";

  /** The largest chunk one fetch moves: 256 KiB. */
  public static final int MAX_CHUNK = 256 * 1024;

  private SyncFetch() {}
}
