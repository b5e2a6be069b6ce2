package io.troupe.contract;

/**
 * What a concrete topic means under the Troupe topic contract. {@link Topics#classify(String)}
 * returns one of these for every topic.
 */
public sealed interface TopicKind {

  /** {@code {root}/s/{address}}: a consumer's request to a service address. */
  record ServiceRequest(String address) implements TopicKind {}

  /** {@code {root}/c/{community}/status/{device}}: a device's retained status. */
  record Status(String community, String device) implements TopicKind {}

  /** {@code {root}/c/{community}/svc/{service}/descriptor/{device}}: a device's descriptor. */
  record Descriptor(String community, String service, String device) implements TopicKind {}

  /** {@code {root}/c/{community}/svc/{service}/servers}: the gateway's distribution list. */
  record Servers(String community, String service) implements TopicKind {}

  /** {@code {root}/d/{device}/...}: what the gateway sends a device. */
  record DeviceInbox(String device, String rest) implements TopicKind {}

  /** {@code {root}/r/{clientId}/...}: a consumer's response namespace. */
  record ResponseNamespace(String clientId) implements TopicKind {}

  /** {@code {root}/gw/reply/{device}}: where a device answers a forwarded request. */
  record GatewayReply(String device) implements TopicKind {}

  /** {@code {root}/gw/api}: the gateway's request/response API. */
  record GatewayApi() implements TopicKind {}

  /** Under the root but not a topic of the contract, or badly formed. */
  record Invalid(String reason) implements TopicKind {}

  /** Outside the root: not Troupe's. */
  record Foreign() implements TopicKind {}
}
