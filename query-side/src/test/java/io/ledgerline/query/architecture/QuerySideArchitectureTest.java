package io.ledgerline.query.architecture;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.RestController;

@AnalyzeClasses(
    packages = "io.ledgerline.query",
    importOptions = ImportOption.DoNotIncludeTests.class)
class QuerySideArchitectureTest {

  private static final DescribedPredicate<JavaAccess<?>> WRITE_SQL =
      calls(JdbcOperations.class, "update|batchUpdate|execute")
          .or(calls(NamedParameterJdbcOperations.class, "update|batchUpdate|execute"))
          .or(calls(JdbcClient.StatementSpec.class, "update"))
          .or(
              calls(
                  Statement.class,
                  "execute|executeUpdate|executeLargeUpdate|executeBatch|executeLargeBatch"))
          .as(
              "run SQL that may write (JdbcTemplate update/batchUpdate/execute, Statement"
                  + " execute/executeUpdate/executeBatch)");

  private static DescribedPredicate<JavaAccess<?>> calls(Class<?> type, String methodNames) {
    return target(owner(assignableTo(type))).and(target(nameMatching(methodNames)));
  }

  @ArchTest
  static final ArchRule knowsNothingOfTheCommandSide =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.ledgerline.command..")
          .because("the two sides share only the event contracts of shared-events");

  @ArchTest
  static final ArchRule neverWritesToTheEventStore =
      noClasses()
          .should()
          .callCodeUnitWhere(WRITE_SQL)
          .orShould()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.github.bucket4j.postgresql..", "io.github.bucket4j.distributed.jdbc..")
          .because(
              "the query side reads PostgreSQL with a read-only role: history is only ever"
                  + " appended by the command side (the rate limiter's buckets, the one table this"
                  + " service writes, are platform-web's)");

  @ArchTest
  static final ArchRule sendsNoCommandsAndAppendsNoEvents =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAnyPackage(
                      "org.axonframework.commandhandling..",
                      "org.axonframework.eventsourcing..",
                      "org.axonframework.modelling..",
                      "org.axonframework.eventhandling.gateway..")
                  .or(name("org.axonframework.eventhandling.EventBus")))
          .because(
              "the query side learns of changes from Kafka and the event store only; a command"
                  + " sent from here would be a write nobody asked the command side for");

  @ArchTest
  static final ArchRule controllersReadThroughFeatureClasses =
      noClasses()
          .that()
          .areAnnotatedWith(RestController.class)
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("javax.sql..", "org.springframework.jdbc..")
                  .or(assignableTo(Connection.class))
                  .or(assignableTo(Statement.class))
                  .or(equivalentTo(DriverManager.class))
                  .as(
                      "open connections or run SQL (DataSource, Connection, Statement,"
                          + " JdbcTemplate)"))
          .because(
              "reads of the event store go through one reader (EventStoreRows, EventHistory) that"
                  + " holds the cursor, fetch size and read-only transaction; a controller only"
                  + " maps the ResultSet rows it is handed");

  @ArchTest
  static final ArchRule featurePackagesFormNoCycles =
      slices()
          .matching("io.ledgerline.query.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a feature package can then be read, moved or split without its neighbours");
}
