package io.troupe.agent.api;

import io.troupe.proto.v1.Control;
import io.troupe.proto.v1.ServiceDescriptor;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The services this device serves for itself (R17): once the gateway sent {@code install_locally}
 * for one, the device's own calls to its address go straight to its handler, and keep doing so
 * after the primary returns. Thread-safe.
 */
final class LocalServing {

  private static final Logger log = LoggerFactory.getLogger(LocalServing.class);

  /** What the gateway said to install, by service address. */
  private final Map<String, Local> byAddress = new ConcurrentHashMap<>();

  private final String deviceId;
  private final BiFunction<String, String, Optional<ServiceHandler>> handlers;
  private final AtomicLong ids = new AtomicLong();

  record Local(String community, String service, ServiceDescriptor descriptor) {}

  LocalServing(
      final String deviceId, final BiFunction<String, String, Optional<ServiceHandler>> handlers) {
    this.deviceId = deviceId;
    this.handlers = handlers;
  }

  /** Takes an {@code install_locally} directive for one of this device's services; true if so. */
  boolean apply(final Control control) {
    if (!control.hasInstallLocally()
        || handlers.apply(control.getCommunity(), control.getService()).isEmpty()) {
      return false;
    }
    byAddress.put(
        control.getAddress(),
        new Local(
            control.getCommunity(),
            control.getService(),
            control.getInstallLocally().getServiceDescriptor()));
    log.info(
        "serving locally [device: {}, service: {}, descriptor version: {}]",
        deviceId,
        control.getAddress(),
        control.getInstallLocally().getServiceDescriptor().getVersion());
    return true;
  }

  /** Whether calls to {@code address} are served by this device's own handler. */
  boolean servesLocally(final String address) {
    return byAddress.containsKey(address);
  }

  /** The descriptor the gateway sent for {@code address}, if it said to serve it locally. */
  Optional<ServiceDescriptor> descriptor(final String address) {
    return Optional.ofNullable(byAddress.get(address)).map(Local::descriptor);
  }

  /**
   * Calls the local handler of {@code address}; empty when it is not served locally. The answer
   * names this device as its server; a handler that fails answers 500, one that is late 504.
   */
  Optional<CompletableFuture<CallResult>> call(
      final String address, final byte[] body, final CallOptions options) {
    final Local local = byAddress.get(address);
    final Optional<ServiceHandler> handler =
        local == null ? Optional.empty() : handlers.apply(local.community(), local.service());
    if (handler.isEmpty()) {
      return Optional.empty();
    }
    final ServiceRequest request =
        new ServiceRequest(
            "local-" + ids.incrementAndGet(),
            1,
            local.service(),
            address,
            options.method(),
            options.path(),
            body,
            options.contentType(),
            options.session(),
            deviceId,
            Map.of(),
            Instant.now().plus(options.timeout()));
    CompletableFuture<ServiceResponse> answer;
    try {
      answer = handler.get().handle(request);
      if (answer == null) {
        answer = CompletableFuture.failedFuture(new IllegalStateException("no answer"));
      }
    } catch (final RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    return Optional.of(
        answer
            .copy()
            .orTimeout(options.timeout().toMillis(), TimeUnit.MILLISECONDS)
            .handle((response, error) -> result(response, error)));
  }

  private CallResult result(final ServiceResponse response, final Throwable error) {
    if (error != null) {
      final boolean late =
          error instanceof TimeoutException || error.getCause() instanceof TimeoutException;
      final String reason = late ? "the local handler did not answer in time" : error.toString();
      return new CallResult(
          late ? 504 : 500, Optional.of(reason), Optional.of(deviceId), new byte[0], "");
    }
    if (response == null) {
      return new CallResult(
          500,
          Optional.of("the local handler gave no answer"),
          Optional.of(deviceId),
          new byte[0],
          "");
    }
    return new CallResult(
        response.status(),
        Optional.ofNullable(response.properties().get("reason")),
        Optional.of(deviceId),
        response.body(),
        response.contentType());
  }
}
