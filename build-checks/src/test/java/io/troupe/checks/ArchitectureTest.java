package io.troupe.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The boundaries the design draws, checked on every module's compiled main code: the router's and
 * the agent's {@code internal} packages are theirs alone; the router's packages form no cycle; the
 * router is plain Java, knowing nothing of the broker, the MQTT client, the CoAP stack or Netty.
 * Tests may reach further (they live in the module they test); benchmarks may not.
 */
class ArchitectureTest {

  private static final String ROUTER = "gateway-router";
  private static final String AGENT = "device-agent";

  /** What the router must never see: the broker, the MQTT client, the CoAP stack, Netty. */
  private static final String[] FRAMEWORKS = {
    "com.hivemq..", "org.eclipse.paho..", "org.eclipse.californium..", "io.netty.."
  };

  /** Each module's classes, imported once for all the rules. */
  private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

  static List<String> modules() {
    return Repository.modules();
  }

  static Stream<String> modulesOtherThanTheRouter() {
    return modules().stream().filter(m -> !m.equals(ROUTER));
  }

  static Stream<String> modulesOtherThanTheAgent() {
    return modules().stream().filter(m -> !m.equals(AGENT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modulesOtherThanTheRouter")
  void otherModules_useTheRouterOnlyThroughItsFacade(final String module) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.troupe.router.internal..")
        .because("only gateway-router itself may use io.troupe.router.internal")
        .check(mainClassesOf(module));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("modulesOtherThanTheAgent")
  void otherModules_useTheAgentOnlyThroughItsApi(final String module) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.troupe.agent.internal..")
        .because("only device-agent itself may use io.troupe.agent.internal")
        .check(mainClassesOf(module));
  }

  @Test
  void router_hasNoPackageCycles() {
    slices()
        .matching("io.troupe.router.internal.(*)..")
        .should()
        .beFreeOfCycles()
        .check(mainClassesOf(ROUTER));
  }

  /**
   * The facade package is layered rather than one slice: its value types (what other modules pass
   * in and get back) sit below the internal packages, the facade classes that wire the internals
   * above them. So the internals use the types but never the facade, and the types use nothing
   * internal.
   */
  @Test
  void router_facadeIsAboveItsInternals_andItsTypesBelow() {
    noClasses()
        .that()
        .resideInAPackage("io.troupe.router.internal..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.troupe.router.GatewayRouter")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.troupe.router.Logins")
        .because("the facade wires the internals; they must not call back into it")
        .check(mainClassesOf(ROUTER));
    noClasses()
        .that()
        .resideInAPackage("io.troupe.router")
        .and()
        .doNotHaveFullyQualifiedName("io.troupe.router.GatewayRouter")
        .and()
        .doNotHaveFullyQualifiedName("io.troupe.router.Logins")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.troupe.router.internal..")
        .because("the types other modules use must not drag the internals into their signatures")
        .check(mainClassesOf(ROUTER));
  }

  /** Wherever a class of the router's packages is, not only in gateway-router. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("modules")
  void router_isPlainJava_withoutBrokerClientOrCoapTypes(final String module) {
    noClasses()
        .that()
        .resideInAPackage("io.troupe.router..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FRAMEWORKS)
        .because("the router takes events and returns decisions; the edges adapt them")
        .allowEmptyShould(!module.equals(ROUTER))
        .check(mainClassesOf(module));
  }

  private static JavaClasses mainClassesOf(final String module) {
    return IMPORTED.computeIfAbsent(
        module,
        m -> {
          final JavaClasses classes = new ClassFileImporter().importPath(Repository.mainClasses(m));
          assertThat(classes).as("main classes of " + m).isNotEmpty();
          return classes;
        });
  }
}
