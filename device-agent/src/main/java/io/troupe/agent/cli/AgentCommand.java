package io.troupe.agent.cli;

import io.troupe.agent.api.DirectoryHandler;
import io.troupe.agent.api.Registration;
import io.troupe.agent.api.ServiceHandler;
import io.troupe.agent.api.TroupeAgent;
import io.troupe.agent.api.TroupeAgentBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code troupe agent}: join a community and serve a service until stopped. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Joins a community and serves a service until stopped (Ctrl-C disconnects cleanly).")
final class AgentCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin Connection connection;

  @Option(
      names = "--id",
      required = true,
      description = "Device id: identity, user name and MQTT client id.")
  String id;

  @Option(
      names = "--community",
      required = true,
      description = "Community to join (created if absent).")
  String community;

  @Option(names = "--service", required = true, description = "Service to serve, such as echo.")
  String service;

  @Option(
      names = "--member",
      paramLabel = "IDENTITY",
      description =
          "Identity that may join the community (repeat for more). Communities are closed: only"
              + " their owner and listed members join.")
  List<String> members = new java.util.ArrayList<>();

  @Option(
      names = "--open",
      description =
          "Create the community open: ANY device identity may join it and serve its services.")
  boolean open;

  static final class Serving {
    @Option(
        names = "--echo",
        required = true,
        description = "Answer every request with its own body.")
    boolean echo;

    @Option(
        names = "--serve-dir",
        required = true,
        description = "Serve the files of this folder by path.")
    Path folder;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Serving serving;

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
    final TroupeAgentBuilder builder =
        TroupeAgent.builder()
            .host(connection.host)
            .port(connection.port)
            .topicRoot(connection.root)
            .deviceId(id)
            .password(connection.password("TROUPE_PASSWORD"))
            .community(community)
            .members(members.toArray(String[]::new))
            .openCommunity(open)
            .statusInterval(statusInterval)
            .maxRequestsInProgress(maxInProgress)
            .warmUp(!noWarmUp);
    if (serving.folder != null) {
      if (!Files.isDirectory(serving.folder)) {
        throw new ParameterException(spec.commandLine(), "not a folder: " + serving.folder);
      }
      final DirectoryHandler handler = new DirectoryHandler(serving.folder);
      builder.service(service, handler, handler.descriptor(service));
    } else {
      builder.service(service, ServiceHandler.echo());
    }
    final TroupeAgent agent = builder.build();
    final CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  agent.close();
                  stopped.countDown();
                },
                "troupe-agent-shutdown"));
    final List<Registration> registrations =
        Failed.attempt("start " + id + " in " + community, agent.start());
    for (final Registration r : registrations) {
      System.out.println("serving " + r.address() + " as " + r.role() + " (device " + id + ")");
    }
    if (open) {
      System.out.println(
          "community " + community + " is open: any device identity may join it and serve");
    }
    System.out.flush();
    stopped.await();
    return ExitCodes.OK;
  }
}
