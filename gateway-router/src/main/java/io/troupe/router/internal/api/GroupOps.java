package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.communityInfo;
import static io.troupe.router.internal.api.ApiAnswers.fail;
import static io.troupe.router.internal.api.ApiAnswers.ok;
import static io.troupe.router.internal.api.ApiAnswers.response;

import io.troupe.contract.Names;
import io.troupe.proto.v1.SetCommunityGroup;
import io.troupe.router.Directive;
import io.troupe.router.GroupRefresh;
import io.troupe.router.Principal;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;

/**
 * Communities formed from directory groups (R16): which group a community follows, and what a
 * refresh of the group does to who may join. A refresh adds the group's members that have an
 * identity here to {@code allowed} and {@code groupMembers}; a member that left the group leaves
 * both, and {@code members}, and its server entries go (its place is lost). Identities allowed by
 * hand are never touched by a refresh. Not thread-safe: called under the router's lock.
 */
final class GroupOps {

  /** Longer group names are refused: a DN is a line, not a document. */
  static final int MAX_GROUP_NAME = 1024;

  private final Registry registry;
  private final Membership membership;

  /** How many members one group may have; empty while no directory is configured. */
  private volatile OptionalInt maxGroupMembers = OptionalInt.empty();

  GroupOps(final Registry registry, final Membership membership) {
    this.registry = registry;
    this.membership = membership;
  }

  /** A directory is configured; a group with more than {@code maxMembers} members is refused. */
  void useDirectory(final int maxMembers) {
    if (maxMembers <= 0) {
      throw new IllegalArgumentException("maxGroupMembers must be positive: " + maxMembers);
    }
    maxGroupMembers = OptionalInt.of(maxMembers);
  }

  /** Why a community may not follow {@code group}; null when it may (an empty group always may). */
  ApiOutcome refusal(final String group) {
    if (group.isEmpty()) {
      return null;
    }
    if (maxGroupMembers.isEmpty()) {
      return fail(
          Status.BAD_REQUEST,
          "no directory is configured on this gateway (<directory> in conf/config.xml)");
    }
    if (group.length() > MAX_GROUP_NAME || group.chars().anyMatch(Character::isISOControl)) {
      return fail(
          Status.BAD_REQUEST,
          "a group name must be at most "
              + MAX_GROUP_NAME
              + " characters without control characters");
    }
    return null;
  }

  /** {@code SetCommunityGroup}: the owner or an admin; an empty group detaches the community. */
  ApiOutcome set(final Principal who, final SetCommunityGroup op) {
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!who.isAdmin() && !community.owner().equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only the owner of '" + community.name() + "' or an admin");
    }
    final String group = op.getGroup().trim();
    final ApiOutcome refused = refusal(group);
    if (refused != null) {
      return refused;
    }
    if (group.equals(community.group())) {
      return ok(Status.OK, communityInfo(community, true));
    }
    follow(community, group);
    return ApiAnswers.changed(Status.OK, communityInfo(community, true), List.of());
  }

  /**
   * From now on {@code community} follows {@code group}. Detached, the members its group gave it
   * stay allowed, as identities allowed by hand; another group takes over the list, and its first
   * refresh removes those it does not hold.
   */
  static void follow(final Community community, final String group) {
    community.setGroup(group);
    if (group.isEmpty()) {
      community.groupMembers().clear();
      community.setGroupStatus("");
    } else {
      community.setGroupStatus("not read yet");
    }
  }

  /** What a refresh did: the outcome to commit, and how the router saw it. */
  record Refreshed(ApiOutcome outcome, GroupRefresh.Outcome kind, String status) {}

  /** Applies one read of {@code group} to the community {@code name}, if it still follows it. */
  Refreshed refresh(final String name, final String group, final GroupRefresh read) {
    final Community community = registry.communities().get(name);
    if (community == null || group.isEmpty() || !community.group().equals(group)) {
      return unchanged(GroupRefresh.Outcome.STALE, "", community);
    }
    if (read instanceof GroupRefresh.Failed failed) {
      community.setGroupStatus("the directory could not be read, members kept: " + failed.why());
      return unchanged(GroupRefresh.Outcome.FAILED, community.groupStatus(), community);
    }
    final Set<String> names = ((GroupRefresh.Members) read).names();
    final int max = maxGroupMembers.orElse(0);
    if (names.size() > max) {
      community.setGroupStatus(
          "the group has more than "
              + max
              + " members (max-group-members in conf/config.xml), members unchanged");
      return unchanged(GroupRefresh.Outcome.TOO_LARGE, community.groupStatus(), community);
    }
    final Set<String> known = new TreeSet<>();
    for (final String member : names) {
      final String identity = member.toLowerCase(Locale.ROOT);
      if (Names.isLabel(identity) && registry.identities().containsKey(identity)) {
        known.add(identity);
      }
    }
    final List<Service> touched = new ArrayList<>();
    final List<Directive> effects = new ArrayList<>();
    final boolean changed = admit(community, known) | remove(community, known, touched, effects);
    final int unknown = names.size() - known.size();
    community.setGroupStatus(
        "read "
            + names.size()
            + " members"
            + (unknown == 0 ? "" : "; " + unknown + " have no identity here"));
    final ApiOutcome outcome =
        changed
            ? ApiAnswers.changed(
                response(Status.OK, communityInfo(community, true)), touched, effects)
            : ok(Status.OK, communityInfo(community, true));
    return new Refreshed(outcome, GroupRefresh.Outcome.APPLIED, community.groupStatus());
  }

  /** Allows the group's members not yet allowed; those allowed by hand stay the owner's. */
  private static boolean admit(final Community community, final Set<String> known) {
    boolean changed = false;
    for (final String identity : known) {
      if (community.groupMembers().contains(identity)
          || community.allowed().contains(identity)
          || community.owner().equals(identity)) {
        continue;
      }
      community.allow(identity);
      community.groupMembers().add(identity);
      changed = true;
    }
    return changed;
  }

  /** The group's former members lose their place: the list, their membership, their serving. */
  private boolean remove(
      final Community community,
      final Set<String> known,
      final List<Service> touched,
      final List<Directive> effects) {
    final List<String> gone = new ArrayList<>();
    for (final String identity : community.groupMembers()) {
      if (!known.contains(identity)) {
        gone.add(identity);
      }
    }
    for (final String identity : gone) {
      community.groupMembers().remove(identity);
      community.disallow(identity);
      if (community.members().contains(identity) && !community.admits(identity)) {
        membership.leave(community, identity, touched, effects);
      }
    }
    if (!gone.isEmpty()) {
      membership.dropAssigned(community, d -> !community.admits(d), touched);
    }
    return !gone.isEmpty();
  }

  private static Refreshed unchanged(
      final GroupRefresh.Outcome kind, final String status, final Community community) {
    final ApiOutcome outcome =
        community == null
            ? fail(Status.NOT_FOUND, "no such community")
            : ok(Status.OK, communityInfo(community, true));
    return new Refreshed(outcome, kind, status);
  }
}
