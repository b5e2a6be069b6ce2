package io.troupe.router;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** A request forwarded to a server and not answered yet. */
final class PendingRequest {
  final String id;
  final ConsumerRequest request;
  final Registry.Service service;

  /** Set when the consumer named one server ({@code {device}.{address}}). */
  final String onlyDevice;

  final long deadlineMs;
  final Set<String> tried = new LinkedHashSet<>();

  /** Servers that were sent the request and have neither answered nor been given up on. */
  final Set<String> outstanding = new LinkedHashSet<>();

  /** When each server was sent the request: its answer time is a sample of its latency. */
  final Map<String, Long> sentMs = new HashMap<>(4);

  String current;
  int attempt;
  boolean anyTimedOut;
  String lastFailure = "";

  /** Why the last server was chosen, or none was. */
  Explanation lastChoice;

  PendingRequest(
      final String id,
      final ConsumerRequest request,
      final Registry.Service service,
      final String onlyDevice,
      final long deadlineMs) {
    this.id = id;
    this.request = request;
    this.service = service;
    this.onlyDevice = onlyDevice;
    this.deadlineMs = deadlineMs;
  }
}
