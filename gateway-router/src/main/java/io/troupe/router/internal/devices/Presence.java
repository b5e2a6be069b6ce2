package io.troupe.router.internal.devices;

/** What the gateway believes of a server right now. */
public enum Presence {
  /** Never heard from since the gateway started. */
  UNKNOWN,
  /** Connected, with a fresh status saying it is available. */
  ALIVE,
  /** Fresh status, but it let a forwarded request time out: tried after the alive ones. */
  SUSPECTED,
  /** Disconnected, said OFFLINE, or sent no status within the timeout period. */
  DEAD
}
