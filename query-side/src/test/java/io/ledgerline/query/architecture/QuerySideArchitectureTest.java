package io.ledgerline.query.architecture;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
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
import java.security.MessageDigest;
import java.sql.Statement;
import javax.crypto.Mac;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;

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
  static final ArchRule readsTheEventStoreOnlyThroughTheReader =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
                  .as(
                      "open connections or run SQL (DataSource, Connection, Statement,"
                          + " ResultSet, JdbcTemplate)"))
          .because(
              "every read of the event store and its checkpoints goes through the one reader of"
                  + " event-store-reader (io.ledgerline.eventstore.EventStoreReader): it holds the"
                  + " SQL, the cursor, the settled bound of the global order and the one decoder;"
                  + " features and controllers handle the typed rows it hands them");

  @ArchTest
  static final ArchRule theVerifierComputesNoHashOfItsOwn =
      noClasses()
          .that()
          .resideInAPackage("io.ledgerline.query.audit..")
          .should()
          .callCodeUnitWhere(
              target(owner(assignableTo(MessageDigest.class).or(assignableTo(Mac.class))))
                  .and(target(name("getInstance")))
                  .as("compute a digest or MAC (MessageDigest, Mac)"))
          .because(
              "the hash chain, the running hash and the checkpoint signature are EventHash's"
                  + " (event-store-reader): the one formula the database and the sealer use");

  @ArchTest
  static final ArchRule featurePackagesFormNoCycles =
      slices()
          .matching("io.ledgerline.query.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a feature package can then be read, moved or split without its neighbours");
}
