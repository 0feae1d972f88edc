package io.ledgerline.events;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.ledgerline.events",
    importOptions = ImportOption.DoNotIncludeTests.class)
class SharedEventsArchitectureTest {

  @ArchTest
  static final ArchRule contractsDependOnNoFramework =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "jakarta.persistence..",
              "org.axonframework..",
              "com.fasterxml..")
          .because("shared-events is a pure contract module both sides can depend on");

  @ArchTest
  static final ArchRule contractsDependOnNoServiceCode =
      noClasses()
          .should()
          .dependOnClassesThat(
              resideInAPackage("io.ledgerline..")
                  .and(resideOutsideOfPackage("io.ledgerline.events.."))
                  .as("are Ledgerline code outside io.ledgerline.events"))
          .because(
              "no module's code (command-side, query-side, platform-web, infra) may leak into the"
                  + " contracts");

  @ArchTest
  static final ArchRule eventsAreRecords =
      classes()
          .that()
          .implement(AccountEvent.class)
          .or()
          .implement(TransferEvent.class)
          .or()
          .implement(OwnerEvent.class)
          .or()
          .implement(TopUpEvent.class)
          .should()
          .beRecords()
          .because("events are immutable records");
}
