package io.skillquest.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

/**
 * The layering every module keeps: core &lt;- store &lt;- {worker, server}, the HTTP framework only
 * at the HTTP edge, SQL only in DAOs and the store, and no package cycles. The server sees every
 * module's classes, so the rules for all of them live here.
 */
class ArchitectureTest {

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("io.skillquest");

  private static final Set<String> SQL_METHODS =
      Set.of(
          "createQuery",
          "createUpdate",
          "createCall",
          "createScript",
          "prepareBatch",
          "execute",
          "select");

  private static final DescribedPredicate<JavaMethodCall> RUNS_SQL =
      new DescribedPredicate<>("run SQL through a Jdbi handle") {
        @Override
        public boolean test(JavaMethodCall call) {
          return call.getTargetOwner().isAssignableTo(Handle.class)
              && SQL_METHODS.contains(call.getName());
        }
      };

  @Test
  void theModulesWereImported() {
    // a rule over no classes passes vacuously: make sure each module is really there
    for (var pkg : Set.of("core", "store", "worker", "server")) {
      org.assertj.core.api.Assertions.assertThat(
              MAIN.stream().anyMatch(c -> c.getPackageName().startsWith("io.skillquest." + pkg)))
          .as(pkg)
          .isTrue();
    }
  }

  @Test
  void coreDependsOnTheJdkAlone() {
    classes()
        .that()
        .resideInAPackage("io.skillquest.core..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("io.skillquest.core..", "java..")
        .check(MAIN);
  }

  @Test
  void theStoreNeverReachesUpToTheServerOrTheWorker() {
    noClasses()
        .that()
        .resideInAPackage("io.skillquest.store..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.skillquest.server..", "io.skillquest.worker..")
        .check(MAIN);
  }

  @Test
  void theWorkerNeverUsesTheServer() {
    noClasses()
        .that()
        .resideInAPackage("io.skillquest.worker..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.skillquest.server..")
        .check(MAIN);
  }

  @Test
  void onlyTheCompositionRootTouchesTheWorker() {
    noClasses()
        .that()
        .resideInAPackage("io.skillquest.server..")
        .and()
        .doNotHaveFullyQualifiedName(SkillQuestServer.class.getName())
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.skillquest.worker..")
        .check(MAIN);
  }

  @Test
  void nothingDependsOnTheCompositionRoot() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.skillquest.server")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.skillquest.server")
        .check(MAIN);
  }

  @Test
  void javalinStaysAtTheHttpEdge() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "io.skillquest.core..", "io.skillquest.store..", "io.skillquest.server.config..")
        .or()
        .haveSimpleNameEndingWith("Dao")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.javalin..", "jakarta.servlet..", "org.eclipse.jetty..")
        .check(MAIN);
    // the worker serves nothing through Jetty; Jetty's client sends its webhooks, and only there
    noClasses()
        .that()
        .resideInAPackage("io.skillquest.worker..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..",
            "jakarta.servlet..",
            "org.eclipse.jetty.server..",
            "org.eclipse.jetty.ee10..")
        .check(MAIN);
    noClasses()
        .that()
        .resideInAPackage("io.skillquest.worker..")
        .and()
        .doNotHaveSimpleName("WebhookSender")
        .and()
        .doNotHaveSimpleName("CheckedAddressResolver")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.eclipse.jetty..")
        .check(MAIN);
  }

  @Test
  void sqlRunsOnlyInDaosAndTheStore() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.skillquest.store..")
        .and()
        .haveSimpleNameNotEndingWith("Dao")
        .should()
        .callMethodWhere(RUNS_SQL)
        .check(MAIN);
  }

  @Test
  void serverPackagesHaveNoCycles() {
    slices().matching("io.skillquest.server.(*)..").should().beFreeOfCycles().check(MAIN);
  }

  @Test
  void workerStoreAndCorePackagesHaveNoCycles() {
    slices().matching("io.skillquest.(*).(*)..").should().beFreeOfCycles().check(MAIN);
  }
}
