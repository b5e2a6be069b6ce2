package io.troupe.checks;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
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

  static final String ROUTER = "gateway-router";
  static final String AGENT = "device-agent";

  /** What the router must never see: the broker, the MQTT client, the CoAP stack, Netty. */
  private static final String[] FRAMEWORKS = {
    "com.hivemq..", "org.eclipse.paho..", "org.eclipse.californium..", "io.netty.."
  };

  static List<String> modules() {
    return Repository.modules();
  }

  static Stream<String> modulesOtherThanTheRouter() {
    return modules().stream().filter(m -> !m.equals(ROUTER));
  }

  static Stream<String> modulesOtherThanTheAgent() {
    return modules().stream().filter(m -> !m.equals(AGENT));
  }

  @ParameterizedTest
  @MethodSource("modulesOtherThanTheRouter")
  void otherModules_useTheRouterOnlyThroughItsFacade(final String module) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.troupe.router.internal..")
        .because("only gateway-router itself may use io.troupe.router.internal")
        .allowEmptyShould(true)
        .check(mainClassesOf(module));
  }

  @ParameterizedTest
  @MethodSource("modulesOtherThanTheAgent")
  void otherModules_useTheAgentOnlyThroughItsApi(final String module) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.troupe.agent.internal..")
        .because("only device-agent itself may use io.troupe.agent.internal")
        .allowEmptyShould(true)
        .check(mainClassesOf(module));
  }

  @Test
  void router_hasNoPackageCycles() {
    final ArchRule rule = slices().assignedFrom(PACKAGES).should().beFreeOfCycles();

    rule.check(mainClassesOf(ROUTER));
  }

  @Test
  void router_isPlainJava_withoutBrokerClientOrCoapTypes() {
    final ArchRule rule =
        noClasses()
            .that()
            .resideInAPackage("io.troupe.router..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(FRAMEWORKS)
            .because("the router takes events and returns decisions; the edges adapt them");

    rule.check(
        new ClassFileImporter()
            .importPaths(modules().stream().map(Repository::mainClasses).toList()));
  }

  private static JavaClasses mainClassesOf(final String module) {
    return new ClassFileImporter().importPath(Repository.mainClasses(module));
  }

  /** One slice per package, the facade package included. */
  private static final SliceAssignment PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(final JavaClass javaClass) {
          return SliceIdentifier.of(javaClass.getPackageName());
        }

        @Override
        public String getDescription() {
          return "each package of gateway-router";
        }
      };
}
