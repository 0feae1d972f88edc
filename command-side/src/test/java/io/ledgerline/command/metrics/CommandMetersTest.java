package io.ledgerline.command.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import org.axonframework.common.AxonConfigurationException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.modelling.command.ConflictingAggregateVersionException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

class CommandMetersTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final CommandMeters testSubject = new CommandMeters(registry);

  /** Stands for a rule of ours, as the aggregates' own exceptions are. */
  private static final class RuleBroken extends RuntimeException {}

  @Test
  void eachOutcomeIsNamedAsTheApiNamesItsProblem() {
    assertThat(CommandMeters.outcome(null)).isEqualTo("success");
    assertThat(CommandMeters.outcome(new RuleBroken())).isEqualTo("rejected");
    assertThat(CommandMeters.outcome(new AggregateNotFoundException("a-1", "no such account")))
        .isEqualTo("not_found");
    assertThat(CommandMeters.outcome(new ConflictingAggregateVersionException("a-1", 3, 5)))
        .isEqualTo("version_conflict");
    assertThat(CommandMeters.outcome(new ConcurrencyException("lost the append race")))
        .isEqualTo("concurrent_modification");
    assertThat(CommandMeters.outcome(new DuplicateKeyException("same idempotency key")))
        .isEqualTo("concurrent_modification");
    assertThat(CommandMeters.outcome(new EventStoreException("database unreachable")))
        .isEqualTo("error");
  }

  @Test
  void aRaceFoundBeneathAnotherFailureIsStillARace() {
    var wrapped =
        new AxonConfigurationException(
            "commit failed", new ConcurrencyException("lost the append race"));
    assertThat(CommandMeters.outcome(wrapped)).isEqualTo("concurrent_modification");
  }

  @Test
  void commandsAreCountedAndTimedByTypeAndOutcome() {
    testSubject.commandFinished("DepositFunds", testSubject.startCommand(), null);
    testSubject.commandFinished("DepositFunds", testSubject.startCommand(), null);
    testSubject.commandFinished("WithdrawFunds", testSubject.startCommand(), new RuleBroken());

    assertThat(commands("DepositFunds", "success")).isEqualTo(2);
    assertThat(commands("WithdrawFunds", "rejected")).isEqualTo(1);
    assertThat(
            registry
                .get(CommandMeters.COMMAND_LATENCY)
                .tags("type", "DepositFunds", "outcome", "success")
                .timer()
                .count())
        .isEqualTo(2);
  }

  @Test
  void everyEventTypeIsCountedFromZero() {
    assertThat(appended("FundsDeposited")).isZero();
    assertThat(appended("TransferCompleted")).isZero();

    testSubject.eventsAppended("FundsDeposited", 3);

    assertThat(appended("FundsDeposited")).isEqualTo(3);
  }

  @Test
  void conflictsAreCountedByStatusAndProblemKind() {
    ProblemDetail stale = ProblemDetail.forStatus(HttpStatus.PRECONDITION_FAILED);
    stale.setType(URI.create("urn:ledgerline:problem:version-conflict"));
    ProblemDetail untyped = ProblemDetail.forStatus(HttpStatus.CONFLICT);

    testSubject.conflict(412, ConflictMeter.kind(stale));
    testSubject.conflict(409, ConflictMeter.kind(untyped));

    assertThat(conflicts("412", "version-conflict")).isEqualTo(1);
    assertThat(conflicts("409", "other")).isEqualTo(1);
  }

  private double commands(String type, String outcome) {
    return registry
        .get(CommandMeters.COMMANDS)
        .tags("type", type, "outcome", outcome)
        .counter()
        .count();
  }

  private double appended(String type) {
    return registry.get(CommandMeters.EVENTS_APPENDED).tag("type", type).counter().count();
  }

  private double conflicts(String status, String kind) {
    return registry
        .get(CommandMeters.CONFLICTS)
        .tags("status", status, "kind", kind)
        .counter()
        .count();
  }
}
