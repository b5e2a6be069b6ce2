package io.troupe.router.internal.api;

import static io.troupe.router.internal.api.ApiAnswers.badLabel;
import static io.troupe.router.internal.api.ApiAnswers.changed;
import static io.troupe.router.internal.api.ApiAnswers.communityInfo;
import static io.troupe.router.internal.api.ApiAnswers.fail;
import static io.troupe.router.internal.api.ApiAnswers.limit;
import static io.troupe.router.internal.api.ApiAnswers.ok;
import static io.troupe.router.internal.api.ApiAnswers.response;

import io.troupe.contract.Names;
import io.troupe.contract.Topics;
import io.troupe.proto.v1.Anonymity;
import io.troupe.proto.v1.ClearRetained;
import io.troupe.proto.v1.CreateCommunity;
import io.troupe.proto.v1.DeleteCommunity;
import io.troupe.proto.v1.IdentityRole;
import io.troupe.proto.v1.JoinCommunity;
import io.troupe.proto.v1.LeaveCommunity;
import io.troupe.proto.v1.UpdateCommunity;
import io.troupe.router.Directive;
import io.troupe.router.Limits;
import io.troupe.router.Principal;
import io.troupe.router.RouterConfig;
import io.troupe.router.Status;
import io.troupe.router.internal.registry.Community;
import io.troupe.router.internal.registry.Disclosure;
import io.troupe.router.internal.registry.Membership;
import io.troupe.router.internal.registry.Registry;
import io.troupe.router.internal.registry.Service;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Communities: create, join, leave, change who may join, delete, clear what was left retained. A
 * community is closed unless its owner opens it: only the owner and the identities it lists join.
 */
final class CommunityOps {

  private final Registry registry;
  private final Topics topics;
  private final Limits limits;
  private final Membership membership;
  private final GroupOps groups;

  CommunityOps(
      final Registry registry,
      final RouterConfig config,
      final Membership membership,
      final GroupOps groups) {
    this.registry = registry;
    this.topics = config.topics();
    this.limits = config.limits();
    this.membership = membership;
    this.groups = groups;
  }

  ApiOutcome create(final Principal who, final CreateCommunity op) {
    if (!mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities create communities");
    }
    if (!Names.isLabel(op.getName())) {
      return fail(Status.BAD_REQUEST, badLabel("community", op.getName()));
    }
    final ApiOutcome badList = checkMembers(op.getMembersList(), op.getMembersCount());
    if (badList != null) {
      return badList;
    }
    if (op.getAnonymity() == Anonymity.UNRECOGNIZED) {
      return fail(Status.BAD_REQUEST, "unknown anonymity " + op.getAnonymityValue());
    }
    final ApiOutcome badGroup = groups.refusal(op.getGroup().trim());
    if (badGroup != null) {
      return badGroup;
    }
    final Community existing = registry.communities().get(op.getName());
    if (existing != null) {
      if (existing.owner().equals(who.identity())) {
        return ok(Status.OK, communityInfo(existing, true));
      }
      return fail(Status.CONFLICT, "community '" + op.getName() + "' exists");
    }
    if (registry.ownedBy(who.identity()) >= limits.maxCommunitiesPerIdentity()) {
      return limit(
          "communities owned by '" + who.identity() + "'",
          limits.maxCommunitiesPerIdentity(),
          "max-communities-per-identity");
    }
    final Community created = create(who, op.getName(), op.getMembersList(), op.getOpen());
    created.setAnonymity(Disclosure.known(op.getAnonymity()));
    GroupOps.follow(created, op.getGroup().trim());
    return changed(Status.CREATED, communityInfo(created, true), List.of());
  }

  ApiOutcome join(final Principal who, final JoinCommunity op) {
    if (!mayServe(who)) {
      return fail(Status.FORBIDDEN, "only device identities join communities");
    }
    if (!Names.isLabel(op.getCommunity())) {
      return fail(Status.BAD_REQUEST, badLabel("community", op.getCommunity()));
    }
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      if (!op.getCreateIfAbsent()) {
        return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
      }
      if (registry.ownedBy(who.identity()) >= limits.maxCommunitiesPerIdentity()) {
        return limit(
            "communities owned by '" + who.identity() + "'",
            limits.maxCommunitiesPerIdentity(),
            "max-communities-per-identity");
      }
      final ApiOutcome badList = checkMembers(op.getMembersList(), op.getMembersCount());
      if (badList != null) {
        return badList;
      }
      final Community created = create(who, op.getCommunity(), op.getMembersList(), op.getOpen());
      return changed(Status.CREATED, communityInfo(created, true), List.of());
    }
    if (!community.admits(who.identity())) {
      return fail(
          Status.FORBIDDEN,
          "'"
              + who.identity()
              + "' is not on the member list of the closed community '"
              + community.name()
              + "'; its owner adds members");
    }
    if (!community.members().contains(who.identity())
        && community.members().size() >= limits.maxMembers()) {
      return limit("members of '" + community.name() + "'", limits.maxMembers(), "max-members");
    }
    final boolean added = community.addMember(who.identity());
    return new ApiOutcome(
        response(Status.OK, communityInfo(community, who)), added, List.of(), List.of());
  }

  ApiOutcome leave(final Principal who, final LeaveCommunity op) {
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null || !community.members().contains(who.identity())) {
      return fail(
          Status.NOT_FOUND,
          "'" + who.identity() + "' is not a member of '" + op.getCommunity() + "'");
    }
    final List<Service> touched = new ArrayList<>();
    final List<Directive> effects = new ArrayList<>();
    membership.leave(community, who.identity(), touched, effects);
    return changed(response(Status.OK, null), touched, effects);
  }

  ApiOutcome update(final Principal who, final UpdateCommunity op) {
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!who.isAdmin() && !community.owner().equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only the owner of '" + community.name() + "' or an admin");
    }
    final Set<String> allowed = new LinkedHashSet<>(community.allowed());
    allowed.addAll(op.getAddMembersList());
    op.getRemoveMembersList().forEach(allowed::remove);
    final ApiOutcome badList = checkMembers(op.getAddMembersList(), allowed.size());
    if (badList != null) {
      return badList;
    }
    if (op.getRemoveMembersList().contains(community.owner())) {
      return fail(Status.CONFLICT, "the owner cannot be removed from its own community");
    }
    if (op.getAnonymity() == Anonymity.UNRECOGNIZED) {
      return fail(Status.BAD_REQUEST, "unknown anonymity " + op.getAnonymityValue());
    }
    community.allowOnly(allowed);
    // what the group gave stays within the list; its next refresh gives back its current members
    community.groupMembers().retainAll(allowed);
    if (op.hasOpen()) {
      community.setOpen(op.getOpen());
    }
    final List<Service> touched = new ArrayList<>();
    if (op.getAnonymity() != Anonymity.ANONYMITY_UNSPECIFIED
        && op.getAnonymity() != community.anonymity()) {
      // Every list of the community shows its servers anew (pseudonyms or ids).
      community.setAnonymity(op.getAnonymity());
      touched.addAll(community.services().values());
    }
    final List<Directive> effects = new ArrayList<>();
    for (final String member : List.copyOf(community.members())) {
      if (!community.admits(member)) {
        membership.leave(community, member, touched, effects);
      }
    }
    membership.dropAssigned(community, d -> !community.admits(d), touched);
    return changed(response(Status.OK, communityInfo(community, true)), touched, effects);
  }

  ApiOutcome delete(final Principal who, final DeleteCommunity op) {
    final Community community = registry.communities().get(op.getCommunity());
    if (community == null) {
      return fail(Status.NOT_FOUND, "no community '" + op.getCommunity() + "'");
    }
    if (!who.isAdmin() && !community.owner().equals(who.identity())) {
      return fail(Status.FORBIDDEN, "only the owner of '" + community.name() + "' or an admin");
    }
    final List<Directive> effects = new ArrayList<>();
    membership.deleteCommunity(community, effects);
    return changed(response(Status.OK, null), List.of(), effects);
  }

  /** Clears retained messages: an admin anywhere under {@code {root}/c/}, an owner in its own. */
  ApiOutcome clearRetained(final Principal who, final ClearRetained op) {
    final String filter = op.getTopicFilter();
    final String prefix = topics.root() + "/c/";
    if (!Topics.isFilter(filter) || !filter.startsWith(prefix)) {
      return fail(
          Status.BAD_REQUEST,
          "a topic filter under " + prefix + " is required, got '" + filter + "'");
    }
    final int end = filter.indexOf('/', prefix.length());
    final String community = end < 0 ? "" : filter.substring(prefix.length(), end);
    final Community c = registry.communities().get(community);
    final boolean owner = c != null && c.owner().equals(who.identity());
    if (!who.isAdmin() && !owner) {
      return fail(
          Status.FORBIDDEN, "only an admin, or the owner inside its community, clears retained");
    }
    return new ApiOutcome(
        response(Status.OK, null), false, List.of(), List.of(new Directive.ClearRetained(filter)));
  }

  private Community create(
      final Principal who, final String name, final List<String> allowed, final boolean open) {
    final Community community =
        new Community(name, name, who.identity(), new LinkedHashSet<>(allowed));
    community.setOpen(open);
    community.addMember(who.identity());
    registry.addCommunity(community);
    return community;
  }

  private ApiOutcome checkMembers(final List<String> names, final int total) {
    for (final String member : names) {
      if (!Names.isLabel(member)) {
        return fail(Status.BAD_REQUEST, badLabel("member identity", member));
      }
    }
    if (total > limits.maxMembers()) {
      return limit("identities on a member list", limits.maxMembers(), "max-members");
    }
    return null;
  }

  static boolean mayServe(final Principal who) {
    return who.role() == IdentityRole.DEVICE || who.isAdmin();
  }
}
