package io.troupe.router;

/**
 * What the router tells a metrics system about the requests it routes, so that counters and timers
 * live at the edge (the extension's Dropwizard registry) and the router stays free of them. Every
 * method is called under the router's lock: an implementation must be quick, must not call back
 * into the router, and should not throw (what it throws is logged and ignored).
 */
public interface RouterMetrics {

  /** Reports nothing. */
  RouterMetrics NONE = new RouterMetrics() {};

  /** Why a request left a server for the next one. */
  enum FailoverCause {
    /** The server let the forward time out. */
    TIMEOUT,
    /** The server disconnected with the request in hand. */
    DISCONNECT,
    /** The server answered 503. */
    UNAVAILABLE
  }

  /** A consumer's request arrived, and choosing its first server took {@code nanos}. */
  default void requestRouted(final long nanos) {}

  /**
   * The gateway answered a consumer itself with {@code status}: refused on arrival (400, 403, 404,
   * 413, 503), gave up after failing over (503, 504), or replaced a server's unusable answer (500,
   * 502).
   */
  default void refused(final int status) {}

  /** A server's answer, with the server's own {@code status}, went to the consumer. */
  default void answered(final int status) {}

  /** A request in flight went on to the next server for {@code cause}. */
  default void failedOver(final FailoverCause cause) {}

  /** Why a login was refused. */
  enum LoginRefusal {
    /** A missing or wrong user name or password (401). */
    BAD_CREDENTIALS,
    /** Backed off after failures from that address (429). */
    BACKED_OFF,
    /** The queue of password checks was full, in all or for that identity (503). */
    BUSY,
    /** A client id that is malformed or another identity's (400, 403). */
    CLIENT_ID
  }

  /** How a login's password was checked. */
  enum LoginCheck {
    /** By the cache of credentials verified recently. */
    CACHED,
    /** By the fast keyed hash of a secret the gateway generated (or its dummy). */
    FAST,
    /** By PBKDF2 (or its dummy). */
    SLOW,
    /** By waiting for the same credential's check, already running. */
    JOINED
  }

  /** A login was refused for {@code why}. */
  default void loginRefused(final LoginRefusal why) {}

  /** A login's password was checked as {@code how} says. */
  default void loginChecked(final LoginCheck how) {}
}
