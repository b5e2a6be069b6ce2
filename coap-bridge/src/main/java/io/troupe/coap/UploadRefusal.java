package io.troupe.coap;

/** Why the bridge refused a block of an upload, or dropped an upload it had begun. */
public enum UploadRefusal {
  /** The identity has as many uploads open as it may: 5.03 with Max-Age. */
  IDENTITY_BUSY,
  /** The peer address has as many uploads open as it may: 5.03 with Max-Age. */
  PEER_BUSY,
  /** The bridge holds as many uploads, or bytes of them, as it may: 5.03 with Max-Age. */
  GATEWAY_BUSY,
  /** The body, announced (Size1) or received, exceeds {@code max-payload-bytes}: 4.13. */
  TOO_LARGE,
  /** A block that does not continue an open upload (out of order, missing start): 4.08. */
  INCOMPLETE,
  /** An upload waited longer than the idle timeout for its next block and was dropped. */
  IDLE
}
