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

  /** Why the gateway refused a device's descriptor: each kind has a counter of its own. */
  enum DescriptorRefusal {
    /** Its {@code device_id} named another device than the one that published it. */
    FORGED_DEVICE,
    /** A device other than the community's owner would have changed whether it is installable. */
    INSTALLABLE_NOT_OWNER,
    /** An item's name was not a relative path inside the service's folder. */
    ITEM_NAME
  }

  /** A device's descriptor (published, or in a Will at CONNECT) was refused for {@code why}. */
  default void descriptorRefused(final DescriptorRefusal why) {}

  /** Why the gateway refused a sync fetch (R4): each kind has a counter of its own. */
  enum SyncRefusal {
    /** The requester does not serve the service whose content it asked for (403). */
    NOT_MEMBER,
    /** No present server other than the requester holds the content (404). */
    NO_SOURCE,
    /** The service had as many sync fetches in flight as it may (503). */
    LIMIT
  }

  /** A sync fetch was forwarded to a server holding the content. */
  default void syncFetched() {}

  /** A server's answer to a sync fetch relayed {@code bytes} bytes of content. */
  default void syncFetchBytes(final long bytes) {}

  /** A sync fetch was refused for {@code why}. */
  default void syncRefused(final SyncRefusal why) {}

  /** Merging a server's descriptor resolved a content conflict. */
  default void syncConflict() {}

  /** Which bound on requests waiting for an answer refused a request on arrival. */
  enum PendingCap {
    /** The identity had as many requests waiting as one identity may (429). */
    IDENTITY_REQUESTS,
    /** The request would take the identity's waiting requests past their bytes (429). */
    IDENTITY_BYTES,
    /** The gateway had as many requests waiting as it may hold (503). */
    REQUESTS,
    /** The request would take all waiting requests past their bytes (503). */
    BYTES
  }

  /** A request was refused on arrival by {@code cap}; {@link #refused} is told its status too. */
  default void pendingRefused(final PendingCap cap) {}

  /** Which limit of an access policy (R12) refused a request or a session. */
  enum PolicyLimit {
    /** The data quota over its rolling window was used up (429). */
    QUOTA,
    /** The bandwidth threshold would hold the request past its deadline (429). */
    BANDWIDTH,
    /** Too many sessions (at CONNECT) or concurrent requests (429). */
    CONNECTIONS,
    /** The bytes received from the consumer outran the bytes sent to it (429). */
    RATIO
  }

  /** An access policy refused a request or a session by {@code limit}. */
  default void policyRefused(final PolicyLimit limit) {}

  /** Which bound kept a request from being held for a volunteer (R16): it was answered 503. */
  enum HoldCap {
    /** The service had {@link VolunteerLimits#maxHeldPerService()} requests held. */
    SERVICE,
    /** The consumer's identity had {@link VolunteerLimits#maxHeldPerIdentity()} requests held. */
    IDENTITY
  }

  /** A group member was asked to volunteer for a service no server could answer (R16). */
  default void volunteerAsked() {}

  /** A request held for a volunteer was forwarded to a server that came (R16). */
  default void volunteerServed() {}

  /** A request that would have waited for a volunteer was refused by {@code cap} (503). */
  default void holdRefused(final HoldCap cap) {}

  /** A request asked for a deadline beyond the longest allowed, and got the longest instead. */
  default void deadlineClamped() {}

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

  /**
   * A device's status was refused (413) because {@code field} held more than {@link StatusLimits}
   * allows. Called outside the router's lock.
   */
  default void statusRefused(final StatusLimits.Field field) {}

  /**
   * A login was refused its client id, for {@code why} (never {@link ClientIdClaim#HELD} or {@link
   * ClientIdClaim#BOUND}). Called outside the router's lock.
   */
  default void clientIdRefused(final ClientIdClaim why) {}

  /**
   * The CoAP bridge refused to establish an observation: {@code limit} ({@code IDENTITY}, {@code
   * PEER} or {@code GATEWAY}, the bound of everyone together) was reached. Called outside the
   * router's lock.
   */
  default void coapObserveRefused(final String limit) {}

  /**
   * The CoAP bridge encoded a retained message for its observers (JSON): once per version and
   * content format, however many observe it. Called outside the router's lock.
   */
  default void coapRepresentationEncoded() {}

  /** Why a login was refused. */
  enum LoginRefusal {
    /** A missing or wrong user name or password (401). */
    BAD_CREDENTIALS,
    /** Backed off after failures from that address (429). */
    BACKED_OFF,
    /** The queue of password checks was full, in all or for that identity (503). */
    BUSY,
    /** A client id that is malformed or another identity's (400, 403). */
    CLIENT_ID,
    /**
     * An identity bound to its machine logging in without it, or from another machine (403); a
     * machine login without the machine key pair's proof (401).
     */
    MACHINE
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

  /** Why an invitation was not redeemed, or a key not created (R14). */
  enum KeyRefusal {
    /** Not a token at all (400). */
    MALFORMED,
    /** A MAC that does not verify, or an unknown key id (403). */
    FORGED,
    /** Its key was revoked (410). */
    REVOKED,
    /** Its key expired (410). */
    EXPIRED,
    /** The same invitation again (409). */
    REPLAYED,
    /** Its key's uses were used up (410). */
    USED_UP,
    /** CreateKey past {@code max-keys-per-identity} or {@code max-keys} (403). */
    KEY_LIMIT
  }

  /** An invitation or a key was refused for {@code why}. */
  default void keyRefused(final KeyRefusal why) {}
}
