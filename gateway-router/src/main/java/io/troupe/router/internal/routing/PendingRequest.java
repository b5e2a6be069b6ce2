package io.troupe.router.internal.routing;

import io.troupe.router.ConsumerRequest;
import io.troupe.router.internal.policy.Charge;
import io.troupe.router.internal.registry.Service;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A request forwarded to a server and not answered yet. */
public final class PendingRequest {
  public final String id;
  public final ConsumerRequest request;
  public final Service service;

  /** Set when the consumer named one server ({@code {device}.{address}}). */
  public final String onlyDevice;

  public final long deadlineMs;
  public final Set<String> tried = new LinkedHashSet<>();

  /** Servers that were sent the request and have neither answered nor been given up on. */
  public final Set<String> outstanding = new LinkedHashSet<>();

  /** When each server was sent the request: its answer time is a sample of its latency. */
  public final Map<String, Long> sentMs = new HashMap<>(4);

  public String current;
  public int attempt;
  public boolean anyTimedOut;
  public String lastFailure = "";

  /** Why the last server was chosen, or none was. */
  public Explanation lastChoice;

  /** What the request owes the meters of the access policies it met (R12). */
  public Charge charge = Charge.NONE;

  /** Which servers the access policies of servers keep from this consumer (R12). */
  public ServerBar serverBar = ServerBar.NONE;

  /** Set when it is a sync fetch (R4): the content asked for, from whom it may come. */
  public SyncSources.Want sync;

  public PendingRequest(
      final String id,
      final ConsumerRequest request,
      final Service service,
      final String onlyDevice,
      final long deadlineMs) {
    this.id = id;
    this.request = request;
    this.service = service;
    this.onlyDevice = onlyDevice;
    this.deadlineMs = deadlineMs;
  }
}
