package io.ledgerline.events;

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
          .dependOnClassesThat()
          .resideInAnyPackage(
              "io.ledgerline.command..", "io.ledgerline.query..", "io.ledgerline.infra..")
          .because("neither side's code may leak into the contracts");

  @ArchTest
  static final ArchRule eventsAreRecords =
      com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes()
          .that()
          .implement(AccountEvent.class)
          .should()
          .beRecords()
          .because("events are immutable records");
}
