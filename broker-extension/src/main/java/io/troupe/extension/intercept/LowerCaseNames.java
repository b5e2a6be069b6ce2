package io.troupe.extension.intercept;

import io.troupe.contract.TopicKind;
import io.troupe.contract.Topics;
import io.troupe.router.Names;
import java.util.Optional;

/**
 * Community and service names are case-insensitive (see {@link Names}): a status or descriptor
 * topic that names them in another case ({@code troupe/c/ABC/status/dev1}) is the topic of the
 * lower-case names ({@code troupe/c/abc/status/dev1}). The interceptor rewrites such a publish to
 * that topic, and the authorizer judges it as that topic whichever one it is shown.
 */
public final class LowerCaseNames {

  private LowerCaseNames() {}

  /**
   * What {@code topic} is: as {@link Topics#classify} says, except that a status or descriptor
   * topic whose names are not in lower case is the lower-case one's.
   */
  public static TopicKind classify(final Topics topics, final String topic) {
    final TopicKind kind = topics.classify(topic);
    final String root = topics.root() + "/";
    if (!(kind instanceof TopicKind.Invalid) || !topic.startsWith(root + "c/")) {
      return kind;
    }
    final TopicKind lower = topics.classify(root + Names.normalize(topic.substring(root.length())));
    return lower instanceof TopicKind.Status || lower instanceof TopicKind.Descriptor
        ? lower
        : kind;
  }

  /** The topic of a status or descriptor {@code kind}; empty for any other kind. */
  public static Optional<String> topicOf(final Topics topics, final TopicKind kind) {
    if (kind instanceof TopicKind.Status s) {
      return Optional.of(topics.status(s.community(), s.device()));
    }
    if (kind instanceof TopicKind.Descriptor d) {
      return Optional.of(topics.descriptor(d.community(), d.service(), d.device()));
    }
    return Optional.empty();
  }
}
