package io.ledgerline.command.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaAccess.Predicates.target;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.security.MessageDigest;
import javax.crypto.Mac;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.saga.SagaEventHandler;
import org.axonframework.spring.stereotype.Aggregate;
import org.springframework.web.bind.annotation.RestController;

@AnalyzeClasses(
    packages = "io.ledgerline.command",
    importOptions = ImportOption.DoNotIncludeTests.class)
class CommandSideArchitectureTest {

  private static final DescribedPredicate<JavaClass> EVENT_PROCESSORS =
      describe(
          "handle events (an @EventHandler or @SagaEventHandler method)",
          type ->
              !type.isAnnotatedWith(Aggregate.class)
                  && type.getMethods().stream()
                      .anyMatch(
                          method ->
                              method.isAnnotatedWith(EventHandler.class)
                                  || method.isAnnotatedWith(SagaEventHandler.class)));

  @ArchTest
  static final ArchRule knowsNothingOfTheQuerySide =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("io.ledgerline.query..")
          .because("the two sides share only the event contracts of shared-events");

  @ArchTest
  static final ArchRule talksToNoElasticsearch =
      noClasses()
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("co.elastic..", "org.elasticsearch..")
          .because("read models belong to the query side; the event store is the only truth here");

  @ArchTest
  static final ArchRule aggregatesKnowNoSpring =
      noClasses()
          .that()
          .areAnnotatedWith(Aggregate.class)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("org.springframework..")
          .because(
              "an aggregate decides from its own events alone: no injected beans, no framework"
                  + " state beyond Axon's @Aggregate");

  @ArchTest
  static final ArchRule controllersSendCommandsAndReadThroughFeatureClasses =
      noClasses()
          .that()
          .areAnnotatedWith(RestController.class)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("java.sql..", "javax.sql..", "org.springframework.jdbc..")
          .orShould()
          .dependOnClassesThat(
              assignableTo(Repository.class)
                  .or(assignableTo(EventStore.class))
                  .or(assignableTo(EventStorageEngine.class)))
          .because(
              "a controller goes through the command gateway (IdempotentCommandSender) or a"
                  + " feature class, so idempotency, versions and authorization are never skipped");

  @ArchTest
  static final ArchRule featurePackagesFormNoCycles =
      slices()
          .matching("io.ledgerline.command.(*)..")
          .should()
          .beFreeOfCycles()
          .because("a feature package can then be read, moved or split without its neighbours");

  @ArchTest
  static final ArchRule theCheckpointSealerComputesNoHashOfItsOwn =
      noClasses()
          .that()
          .resideInAPackage("io.ledgerline.command.audit..")
          .should()
          .callCodeUnitWhere(
              target(owner(assignableTo(MessageDigest.class).or(assignableTo(Mac.class))))
                  .and(target(name("getInstance")))
                  .as("compute a digest or MAC (MessageDigest, Mac)"))
          .because(
              "the running hash and the checkpoint signature are EventHash's (event-store-reader),"
                  + " the one formula the verifier on the query side checks them with");

  @ArchTest
  static final ArchRule everyEventProcessorIsNamed =
      classes()
          .that(EVENT_PROCESSORS)
          .should()
          .beAnnotatedWith(ProcessingGroup.class)
          .because(
              "a processor's name keys its tokens and dead letters: a name derived from the"
                  + " package would restart it from the first event after a refactoring");
}
