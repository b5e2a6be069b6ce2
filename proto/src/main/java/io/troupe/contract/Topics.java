package io.troupe.contract;

import java.util.Objects;

/**
 * Builds and parses every topic of the Troupe topic contract v1 (see {@code docs/topics.md}).
 * Nothing else concatenates topic strings.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Topics {

  /** The default root level. */
  public static final String DEFAULT_ROOT = "troupe";

  private final String root;
  private final String rootSlash;

  private Topics(final String root) {
    this.root = root;
    this.rootSlash = root + "/";
  }

  /** The topics under the default root {@code troupe}. */
  public static Topics withDefaultRoot() {
    return new Topics(DEFAULT_ROOT);
  }

  /**
   * The topics under {@code root}.
   *
   * @throws IllegalArgumentException if the root is empty, starts or ends with '/', or holds a
   *     wildcard
   */
  public static Topics withRoot(final String root) {
    Objects.requireNonNull(root, "root");
    if (root.isEmpty()
        || root.startsWith("/")
        || root.endsWith("/")
        || root.contains("+")
        || root.contains("#")
        || root.contains("//")) {
      throw new IllegalArgumentException(
          "topic root must be non-empty, without wildcards or outer '/': '" + root + "'");
    }
    return new Topics(root);
  }

  public String root() {
    return root;
  }

  /** {@code {root}/s/{address}}. */
  public String serviceRequest(final String address) {
    if (!Names.isAddress(address)) {
      throw new IllegalArgumentException("not a service address: '" + address + "'");
    }
    return rootSlash + "s/" + address;
  }

  /** {@code {root}/s/#}: every service request. */
  public String allServiceRequests() {
    return rootSlash + "s/#";
  }

  /** {@code {root}/c/{community}/status/{device}}. */
  public String status(final String community, final String device) {
    return rootSlash
        + "c/"
        + Names.requireLabel(community, "community")
        + "/status/"
        + Names.requireLabel(device, "device");
  }

  /** {@code {root}/c/{community}/status/+}: every member's status. */
  public String allStatuses(final String community) {
    return rootSlash + "c/" + Names.requireLabel(community, "community") + "/status/+";
  }

  /** {@code {root}/c/{community}/svc/{service}/descriptor/{device}}. */
  public String descriptor(final String community, final String service, final String device) {
    return serviceBase(community, service) + "/descriptor/" + Names.requireLabel(device, "device");
  }

  /** {@code {root}/c/{community}/svc/{service}/descriptor/+}. */
  public String allDescriptors(final String community, final String service) {
    return serviceBase(community, service) + "/descriptor/+";
  }

  /** {@code {root}/c/{community}/svc/{service}/servers}. */
  public String servers(final String community, final String service) {
    return serviceBase(community, service) + "/servers";
  }

  /** {@code {root}/c/{community}/svc/{service}/#}: everything of one service. */
  public String service(final String community, final String service) {
    return serviceBase(community, service) + "/#";
  }

  /**
   * Whether {@code filter} is a well-formed MQTT topic filter: not empty, {@code +} and {@code #}
   * only as whole levels, {@code #} only last, no NUL.
   */
  public static boolean isFilter(final String filter) {
    if (filter.isEmpty() || filter.indexOf('\0') >= 0) {
      return false;
    }
    final String[] levels = filter.split("/", -1);
    for (int i = 0; i < levels.length; i++) {
      final String level = levels[i];
      if (level.contains("#") && (!level.equals("#") || i != levels.length - 1)) {
        return false;
      }
      if (level.contains("+") && !level.equals("+")) {
        return false;
      }
    }
    return true;
  }

  /** {@code {root}/c/{community}/#}: everything of one community. */
  public String community(final String community) {
    return rootSlash + "c/" + Names.requireLabel(community, "community") + "/#";
  }

  /** {@code {root}/d/{device}/req}: requests forwarded to a device. */
  public String deviceRequests(final String device) {
    return deviceBase(device) + "/req";
  }

  /** {@code {root}/d/{device}/ctl}: control directives to a device. */
  public String deviceControl(final String device) {
    return deviceBase(device) + "/ctl";
  }

  /** {@code {root}/d/{device}/#}: what a device subscribes to. */
  public String deviceInbox(final String device) {
    return deviceBase(device) + "/#";
  }

  /** {@code {root}/r/{clientId}/}: the prefix of a consumer's response namespace. */
  public String responsePrefix(final String clientId) {
    return rootSlash + "r/" + Names.requireTopicLevel(clientId, "client id") + "/";
  }

  /** {@code {root}/r/{clientId}/#}: the filter a consumer subscribes to for its answers. */
  public String responseFilter(final String clientId) {
    return responsePrefix(clientId) + "#";
  }

  /** A topic in a consumer's response namespace, {@code {root}/r/{clientId}/{suffix}}. */
  public String response(final String clientId, final String suffix) {
    Objects.requireNonNull(suffix, "suffix");
    if (suffix.isEmpty() || suffix.contains("+") || suffix.contains("#")) {
      throw new IllegalArgumentException("bad response topic suffix: '" + suffix + "'");
    }
    return responsePrefix(clientId) + suffix;
  }

  /**
   * Whether {@code topic} is a concrete topic inside {@code clientId}'s response namespace, where
   * only that client may subscribe.
   */
  public boolean isInResponseNamespace(final String topic, final String clientId) {
    if (topic == null || !Names.isTopicLevel(clientId)) {
      return false;
    }
    final String prefix = rootSlash + "r/" + clientId + "/";
    return topic.length() > prefix.length()
        && topic.startsWith(prefix)
        && topic.indexOf('+') < 0
        && topic.indexOf('#') < 0;
  }

  /** {@code {root}/gw/reply/{device}}: where a device answers forwarded requests. */
  public String gatewayReply(final String device) {
    return rootSlash + "gw/reply/" + Names.requireLabel(device, "device");
  }

  /** {@code {root}/gw/api}. */
  public String gatewayApi() {
    return rootSlash + "gw/api";
  }

  /** Classifies a concrete (wildcard-free) topic; never throws. */
  public TopicKind classify(final String topic) {
    if (topic == null || !topic.startsWith(rootSlash)) {
      return new TopicKind.Foreign();
    }
    final String[] l = topic.substring(rootSlash.length()).split("/", -1);
    switch (l[0]) {
      case "s":
        if (l.length == 2 && Names.isAddress(l[1])) {
          return new TopicKind.ServiceRequest(l[1]);
        }
        return new TopicKind.Invalid("service address must be a dotted name: '" + topic + "'");
      case "c":
        return classifyCommunity(topic, l);
      case "d":
        if (l.length >= 3 && Names.isLabel(l[1])) {
          return new TopicKind.DeviceInbox(
              l[1], String.join("/", java.util.Arrays.copyOfRange(l, 2, l.length)));
        }
        return new TopicKind.Invalid("bad device topic: '" + topic + "'");
      case "r":
        if (l.length >= 3 && Names.isTopicLevel(l[1])) {
          return new TopicKind.ResponseNamespace(l[1]);
        }
        return new TopicKind.Invalid("bad response topic: '" + topic + "'");
      case "gw":
        if (l.length == 2 && l[1].equals("api")) {
          return new TopicKind.GatewayApi();
        }
        if (l.length == 3 && l[1].equals("reply") && Names.isLabel(l[2])) {
          return new TopicKind.GatewayReply(l[2]);
        }
        return new TopicKind.Invalid("unknown gateway topic: '" + topic + "'");
      default:
        return new TopicKind.Invalid("not a topic of the Troupe contract: '" + topic + "'");
    }
  }

  private TopicKind classifyCommunity(final String topic, final String[] l) {
    if (l.length == 4 && l[2].equals("status") && Names.isLabel(l[1]) && Names.isLabel(l[3])) {
      return new TopicKind.Status(l[1], l[3]);
    }
    if (l.length >= 5 && l[2].equals("svc") && Names.isLabel(l[1]) && Names.isLabel(l[3])) {
      if (l.length == 5 && l[4].equals("servers")) {
        return new TopicKind.Servers(l[1], l[3]);
      }
      if (l.length == 6 && l[4].equals("descriptor") && Names.isLabel(l[5])) {
        return new TopicKind.Descriptor(l[1], l[3], l[5]);
      }
    }
    return new TopicKind.Invalid("bad community topic: '" + topic + "'");
  }

  private String serviceBase(final String community, final String service) {
    return rootSlash
        + "c/"
        + Names.requireLabel(community, "community")
        + "/svc/"
        + Names.requireLabel(service, "service");
  }

  private String deviceBase(final String device) {
    return rootSlash + "d/" + Names.requireLabel(device, "device");
  }
}
