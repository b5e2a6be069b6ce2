package io.troupe.contract.content;

import com.google.protobuf.ByteString;
import io.troupe.proto.v1.Conflict;
import io.troupe.proto.v1.Item;
import io.troupe.proto.v1.ServiceDescriptor;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Three servers and a gateway, simulated with the shared model: servers change items locally
 * (clocks counted with {@link VersionVector}), publish their descriptors, and reach the merged
 * descriptor with {@link ContentDiff}; the gateway merges with {@link DescriptorMerge}.
 *
 * <p>Beside the clocks, the simulation keeps its OWN record of causality: every change gets a
 * serial number, and each version carries the set of changes it includes (its causal history). Two
 * versions are concurrent when neither history contains the other. That record predicts when the
 * gateway must report a conflict, independently of the clocks under test.
 */
final class SyncSimulation {

  /** One step of a run. */
  record Step(Kind kind, int server, String item, String content) {
    enum Kind {
      CHANGE,
      DELETE,
      DISCONNECT,
      RECONNECT,
      PUBLISH,
      REACH
    }

    @Override
    public String toString() {
      return kind + "(s" + server + (item.isEmpty() ? "" : " " + item + " " + content) + ")";
    }
  }

  /** A version as the simulation knows it: the item and the changes it includes. */
  private record Known(Item item, Set<Integer> history) {}

  private static final class Server {
    final String replica;
    final Map<String, Known> store = new TreeMap<>();
    boolean connected = true;

    Server(final String replica) {
      this.replica = replica;
    }

    ServiceDescriptor descriptor() {
      final ServiceDescriptor.Builder d =
          ServiceDescriptor.newBuilder().setService("docs").setReplica(replica);
      store.values().forEach(k -> d.addItems(k.item()));
      return d.build();
    }
  }

  private final List<Server> servers =
      List.of(new Server("r0"), new Server("r1"), new Server("r2"));
  private ServiceDescriptor merged;

  /** The gateway's merged items as the simulation's own record knows them. */
  private final Map<String, Known> gateway = new TreeMap<>();

  private final List<String> problems = new ArrayList<>();
  private int changes;
  private long nowMs;
  private int conflictsReported;

  /** Applies one step; steps that make no sense in the current state do nothing. */
  void apply(final Step step) {
    // half steps share a millisecond, so some concurrent changes tie on time
    nowMs += step.server() == 0 ? 0 : 1;
    final Server s = servers.get(step.server());
    switch (step.kind()) {
      case CHANGE -> change(s, step.item(), Versions.sha256(step.content()), false);
      case DELETE -> {
        final Known held = s.store.get(step.item());
        if (held != null && !held.item().getDeleted()) {
          change(s, step.item(), null, true);
        }
      }
      case DISCONNECT -> s.connected = false;
      case RECONNECT -> {
        if (!s.connected) {
          s.connected = true;
          publish(s);
        }
      }
      case PUBLISH -> {
        if (s.connected) {
          publish(s);
        }
      }
      case REACH -> {
        if (s.connected && merged != null) {
          reach(s);
        }
      }
    }
  }

  /** Everyone reconnects; publish and reach until nothing changes (bounded). */
  void settle() {
    servers.forEach(s -> s.connected = true);
    for (int round = 0; round < 10; round++) {
      final ServiceDescriptor before = merged;
      servers.forEach(this::publish);
      final boolean behind =
          servers.stream().anyMatch(s -> !ContentDiff.toReach(s.descriptor(), merged).inSync());
      servers.forEach(this::reach);
      if (!behind && merged.getItemsList().equals(before == null ? null : before.getItemsList())) {
        return;
      }
    }
    problems.add("did not settle in 10 rounds");
  }

  /** Servers whose items differ from the merged descriptor's (name, hash, deletion, clock). */
  List<String> divergentServers() {
    final List<String> out = new ArrayList<>();
    final List<String> want = view(merged == null ? List.of() : merged.getItemsList());
    for (final Server s : servers) {
      final List<String> have = view(s.descriptor().getItemsList());
      if (!have.equals(want)) {
        out.add(s.replica + " holds " + have + " but merged is " + want);
      }
    }
    return out;
  }

  List<String> problems() {
    return problems;
  }

  int conflictsReported() {
    return conflictsReported;
  }

  private static List<String> view(final List<Item> items) {
    final List<String> v = new ArrayList<>();
    for (final Item i : items) {
      v.add(
          i.getName()
              + (i.getDeleted()
                  ? " deleted"
                  : " " + ContentNames.hex(i.getSha256()).substring(0, 6))
              + " "
              + i.getClockMap());
    }
    return v;
  }

  private void change(
      final Server s, final String name, final ByteString sha, final boolean delete) {
    final Known held = s.store.get(name);
    final Item.Builder next =
        Item.newBuilder()
            .setName(name)
            .setModifiedAtMs(nowMs)
            .putAllClock(
                VersionVector.increment(
                    held == null ? Map.of() : held.item().getClockMap(), s.replica));
    if (delete) {
      next.setDeleted(true);
    } else {
      next.setSha256(sha).setSize(sha.size());
    }
    final Set<Integer> history = new HashSet<>(held == null ? Set.of() : held.history());
    history.add(++changes);
    s.store.put(name, new Known(next.build(), history));
  }

  private void publish(final Server s) {
    final ServiceDescriptor report = s.descriptor();
    final Map<String, Known> incoming = new TreeMap<>(s.store);
    final DescriptorMerge.Result r = DescriptorMerge.merge(merged, report, nowMs);
    conflictsReported += r.conflicts().size();
    checkConflicts(s, incoming, r.conflicts());
    merged = r.merged();
    recordGateway(incoming, r.conflicts());
  }

  /**
   * The gateway must report a conflict on an item exactly when the simulation's own histories say
   * the reported version and the merged one are concurrent and differ in content.
   */
  private void checkConflicts(
      final Server s, final Map<String, Known> incoming, final List<Conflict> reported) {
    final Set<String> expected = new HashSet<>();
    for (final Known v : incoming.values()) {
      final Known m = gateway.get(v.item().getName());
      if (m != null && concurrent(v.history(), m.history()) && !sameOutcome(v.item(), m.item())) {
        expected.add(v.item().getName());
      }
    }
    final Set<String> got = new HashSet<>();
    reported.forEach(c -> got.add(c.getItem()));
    if (!got.equals(expected)) {
      problems.add(
          "publish of "
              + s.replica
              + ": conflicts reported on "
              + got
              + ", the histories say "
              + expected);
    }
  }

  private void recordGateway(final Map<String, Known> incoming, final List<Conflict> reported) {
    final Map<String, Known> before = new TreeMap<>(gateway);
    gateway.clear();
    for (final Item i : merged.getItemsList()) {
      final Known mine = before.get(i.getName());
      final Known theirs = incoming.get(i.getName());
      final Set<Integer> history = new HashSet<>();
      if (mine != null) {
        history.addAll(mine.history());
      }
      if (theirs != null) {
        history.addAll(theirs.history());
      }
      gateway.put(i.getName(), new Known(i, history));
    }
    // a copy keeps the losing version's changes, which the simulation takes from that version
    for (final Conflict c : reported) {
      if (!c.getKeptAs().isEmpty()) {
        final Known mine = before.get(c.getItem());
        final Known loser =
            mine != null && mine.item().getSha256().equals(c.getLoserSha256())
                ? mine
                : incoming.get(c.getItem());
        final Item copy = gateway.get(c.getKeptAs()).item();
        gateway.put(c.getKeptAs(), new Known(copy, loser.history()));
      }
    }
  }

  private void reach(final Server s) {
    final ContentDiff.Plan plan = ContentDiff.toReach(s.descriptor(), merged);
    final List<Item> steps = new ArrayList<>(plan.fetch());
    steps.addAll(plan.delete());
    steps.addAll(plan.adopt());
    for (final Item target : steps) {
      final Known g = gateway.get(target.getName());
      final Known held = s.store.get(target.getName());
      final Set<Integer> history = new HashSet<>(g.history());
      if (held != null) {
        history.addAll(held.history());
      }
      s.store.put(target.getName(), new Known(target, history));
    }
  }

  private static boolean concurrent(final Set<Integer> a, final Set<Integer> b) {
    return !a.containsAll(b) && !b.containsAll(a);
  }

  private static boolean sameOutcome(final Item a, final Item b) {
    return a.getDeleted() == b.getDeleted()
        && (a.getDeleted() || a.getSha256().equals(b.getSha256()));
  }
}
