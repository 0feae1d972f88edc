package io.ledgerline.eventstore;

import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.sql.Statement;
import org.springframework.jdbc.core.JdbcOperations;

@AnalyzeClasses(
    packages = "io.ledgerline.eventstore",
    importOptions = ImportOption.DoNotIncludeTests.class)
class EventStoreReaderArchitectureTest {

  private static final DescribedPredicate<JavaAccess<?>> WRITE_SQL =
      calls(JdbcOperations.class, "update|batchUpdate|execute")
          .or(
              calls(
                  Statement.class,
                  "execute|executeUpdate|executeLargeUpdate|executeBatch|executeLargeBatch"))
          .as("run SQL that may write (JdbcTemplate update/execute, Statement execute/update)");

  private static DescribedPredicate<JavaAccess<?>> calls(Class<?> type, String methodNames) {
    return target(owner(assignableTo(type))).and(target(nameMatching(methodNames)));
  }

  @ArchTest
  static final ArchRule onlyReads =
      noClasses()
          .should()
          .callCodeUnitWhere(WRITE_SQL)
          .because(
              "the reader serves the query side's read-only role too: history is only ever appended"
                  + " by Axon on the command side");

  @ArchTest
  static final ArchRule knowsOnlyTheEventContracts =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.ledgerline..")
                  .and(
                      resideOutsideOfPackages(
                          "io.ledgerline.eventstore..", "io.ledgerline.events.."))
                  .as("are Ledgerline code outside the reader and shared-events"))
          .because("both services depend on the reader, so it can depend on neither");
}
