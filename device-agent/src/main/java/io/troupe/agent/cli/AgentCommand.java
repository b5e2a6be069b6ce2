package io.troupe.agent.cli;

import io.troupe.agent.api.ContentStore;
import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeAgentBuilder;
import io.troupe.agent.internal.DeviceLock;
import io.troupe.proto.v1.Anonymity;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code troupe agent}: join communities and serve services until stopped. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = {
      "Joins one or more communities and serves services in them until stopped (Ctrl-C"
          + " disconnects cleanly), as the device itself: one agent per device and gateway.",
      "A second agent for the same device and gateway on this machine stops at start (exit 1)."
          + " An agent whose session another connection with its id takes over stops (exit 1)."
    },
    footer = {
      "",
      "Agent config file (--config FILE): a Java properties file whose keys are the options"
          + " above without the dashes; a repeatable option takes a comma-separated list, a switch"
          + " true or false. Options on the command line are added to it (a single-valued one"
          + " wins). For example:",
      "  id = dev1",
      "  community = demo, abc",
      "  service = echo, shoppinglist@abc",
      "  echo = true",
      "  window = mon-fri/08:00-17:00@Europe/Helsinki"
    })
final class AgentCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Mixin Connection connection;

  @Mixin ServingConditions conditions;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Read options from an agent config file (see below).")
  Path config;

  @Option(names = "--id", description = "Device id: identity, user name and MQTT client id.")
  String id;

  @Option(
      names = "--community",
      paramLabel = "COMMUNITY",
      description = "Community to join, created if absent (repeat for more).")
  List<String> communities = new ArrayList<>();

  @Option(
      names = "--service",
      paramLabel = "NAME[@COMMUNITY]",
      description =
          "Service to serve (repeat for more): NAME in every --community, NAME@COMMUNITY in"
              + " that one only (joined too).")
  List<String> services = new ArrayList<>();

  @Option(
      names = "--member",
      paramLabel = "IDENTITY",
      description =
          "Identity that may join the communities this agent creates or owns (repeat for more)."
              + " Communities are closed: only their owner and listed members join.")
  List<String> members = new ArrayList<>();

  @Option(
      names = "--open",
      description =
          "Create the communities open: ANY device identity may join and serve their services.")
  boolean open;

  static final class Serving {
    @Option(names = "--echo", description = "Answer every request with its own body.")
    boolean echo;

    @Option(
        names = "--serve-dir",
        description =
            "Serve the files of this folder by path, kept in step with the service's other"
                + " servers: files added, changed or deleted here reach them, and theirs reach"
                + " this folder. The agent keeps its own record in DIR/.troupe/ (never served).")
    Path folder;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Serving serving;

  @Option(
      names = "--passive",
      description =
          "Register as a passive server: serves no one else, and its own calls locally while no"
              + " active server answers.")
  boolean passive;

  @Option(
      names = "--anonymity",
      converter = AgentConfig.AnonymityConverter.class,
      paramLabel = "NAMED|ANONYMOUS_TO_CONSUMERS|ANONYMOUS_TO_ALL",
      description = "How anonymous this server asks to be, whatever the service's rule.")
  Anonymity anonymity;

  @Option(
      names = "--installable",
      description =
          "Mark the services installable (the catalogue lists them). The community's owner"
              + " alone decides: ignored, with a warning, in a community someone else owns.")
  boolean installable;

  @Option(
      names = "--status-interval",
      converter = DurationConverter.class,
      description = "How often to report status (default: 5s).")
  Duration statusInterval = Duration.ofSeconds(5);

  @Option(
      names = "--max-in-progress",
      description = "Most requests served at once; 0 for no limit (default).")
  int maxInProgress;

  @Option(
      names = "--no-warm-up",
      description =
          "Report available without first warming the serving path (to measure a cold agent).")
  boolean noWarmUp;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (config != null) {
      return withConfig().serve();
    }
    return serve();
  }

  /** The command as the config file and then the command line say. */
  private AgentCommand withConfig() {
    final List<String> args = new ArrayList<>(AgentConfig.argsOf(config));
    final List<String> given = spec.commandLine().getParseResult().originalArgs();
    for (int i = 0; i < given.size(); i++) {
      if (given.get(i).equals("--config")) {
        i++;
      } else if (!given.get(i).startsWith("--config=")) {
        args.add(given.get(i));
      }
    }
    final AgentCommand merged = new AgentCommand();
    final CommandLine cli = new CommandLine(merged);
    cli.setOverwrittenOptionsAllowed(true);
    cli.setOut(spec.commandLine().getOut());
    cli.setErr(spec.commandLine().getErr());
    try {
      cli.parseArgs(args.toArray(String[]::new));
    } catch (final ParameterException e) {
      throw new IllegalArgumentException(config + ": " + e.getMessage(), e);
    }
    return merged;
  }

  private Integer serve() throws IOException, InterruptedException {
    final TroupeAgentBuilder builder = builder();
    final PrintWriter out = spec.commandLine().getOut();
    final PrintWriter err = spec.commandLine().getErr();
    final DeviceLock lock;
    try {
      lock = DeviceLock.acquire(connection.host, connection.port, id);
    } catch (final DeviceLock.HeldException e) {
      err.println("troupe: " + e.getMessage());
      err.flush();
      return ExitCodes.OTHER;
    }
    final TroupeAgent agent;
    try {
      agent = builder.build();
    } catch (final IllegalStateException e) {
      lock.close();
      throw new IllegalArgumentException(e.getMessage());
    }
    final CompletableFuture<String> stopped = new CompletableFuture<>();
    final Thread hook =
        new Thread(
            () -> {
              agent.close();
              lock.close();
              stopped.complete("");
            },
            "troupe-agent-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      final List<Registration> registrations =
          Failed.attempt(
              "start " + id + " in " + String.join(", ", agent.communities()), agent.start());
      for (final Registration r : registrations) {
        out.println("serving " + r.address() + " as " + r.role() + " (device " + id + ")");
      }
      if (open) {
        out.println(
            "communities "
                + String.join(", ", agent.communities())
                + " are open: any device identity may join them and serve");
      }
      out.flush();
      agent.sessionTakenOver().thenAccept(stopped::complete);
      final String reason = stopped.join();
      if (reason.isEmpty()) {
        return ExitCodes.OK;
      }
      err.println("troupe: " + reason);
      err.flush();
      return ExitCodes.OTHER;
    } finally {
      agent.close();
      lock.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (final IllegalStateException e) {
        // shutting down: the hook runs
      }
    }
  }

  /** The agent as the options say; a bad combination is refused with one line. */
  private TroupeAgentBuilder builder() throws IOException {
    if (id == null) {
      throw new IllegalArgumentException("missing --id (or id in --config)");
    }
    if (services.isEmpty()) {
      throw new IllegalArgumentException("missing --service NAME[@COMMUNITY]");
    }
    if (serving == null || (!serving.echo && serving.folder == null)) {
      throw new IllegalArgumentException("say how to serve: --echo or --serve-dir");
    }
    if (serving.folder != null && !Files.isDirectory(serving.folder)) {
      throw new IllegalArgumentException("not a folder: " + serving.folder);
    }
    final TroupeAgentBuilder builder =
        connection.credentials(
            TroupeAgent.builder()
                .host(connection.host)
                .port(connection.port)
                .topicRoot(connection.root)
                .deviceId(id),
            "TROUPE_PASSWORD",
            System.getenv());
    builder
        .members(members.toArray(String[]::new))
        .openCommunity(open)
        .passive(passive)
        .installable(installable)
        .statusInterval(statusInterval)
        .maxRequestsInProgress(maxInProgress)
        .warmUp(!noWarmUp);
    communities.forEach(builder::community);
    for (final String service : services) {
      serve(builder, service);
    }
    if (anonymity != null) {
      builder.serverAnonymity(anonymity);
    }
    conditions.criteria().ifPresent(builder::criteria);
    builder.metrics(conditions.metrics());
    return builder;
  }

  /** The folder's content store, opened once for every service served from it. */
  private ContentStore store() throws IOException {
    if (store == null) {
      store = ContentStore.folder(serving.folder);
    }
    return store;
  }

  private ContentStore store;

  private void serve(final TroupeAgentBuilder builder, final String service) throws IOException {
    final int at = service.indexOf('@');
    final String name = at < 0 ? service : service.substring(0, at);
    if (serving.folder != null) {
      final DirectoryHandler files = new DirectoryHandler(store());
      if (at < 0) {
        builder.service(name, files);
      } else {
        builder.serviceIn(service.substring(at + 1), name, files);
      }
      builder.content(name, store());
      return;
    }
    final ServiceHandler handler = ServiceHandler.echo();
    if (at < 0) {
      builder.service(name, handler);
    } else {
      builder.serviceIn(service.substring(at + 1), name, handler);
    }
  }
}
