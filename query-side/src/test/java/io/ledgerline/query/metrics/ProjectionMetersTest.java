package io.ledgerline.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ledgerline.query.projection.DeadLetters;
import io.ledgerline.query.projection.ProjectionStatus;
import io.ledgerline.query.projection.ProjectionStatus.PartitionStatus;
import io.ledgerline.query.projection.ProjectionStatus.Status;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProjectionMetersTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ProjectionStatus status = mock(ProjectionStatus.class);
  private final DeadLetters deadLetters = mock(DeadLetters.class);
  private final ProjectionMeters testSubject = new ProjectionMeters(status, deadLetters, registry);

  @Test
  void eachPartitionOfEachProjectionHasItsPositionAndLag() throws Exception {
    when(status.all())
        .thenReturn(
            List.of(
                new Status(
                    "accounts",
                    List.of(
                        new PartitionStatus(0, 40, 50, 10, 2.5),
                        new PartitionStatus(1, 70, 70, 0, 0)),
                    10,
                    2.5),
                new Status("transfers", List.of(new PartitionStatus(0, 50, 50, 0, 0)), 0, 0)));
    when(deadLetters.pendingCount()).thenReturn(3L);

    testSubject.refresh();

    assertThat(gauge(ProjectionMeters.POSITION, "accounts", "0")).isEqualTo(40);
    assertThat(gauge(ProjectionMeters.LAG_EVENTS, "accounts", "0")).isEqualTo(10);
    assertThat(gauge(ProjectionMeters.LAG_SECONDS, "accounts", "0")).isEqualTo(2.5);
    assertThat(gauge(ProjectionMeters.POSITION, "accounts", "1")).isEqualTo(70);
    assertThat(gauge(ProjectionMeters.LAG_EVENTS, "transfers", "0")).isZero();
    assertThat(registry.get(ProjectionMeters.DEAD_LETTERS_PENDING).gauge().value()).isEqualTo(3);
  }

  @Test
  void whileKafkaIsOutOfReachTheGaugesKeepTheirLastValues() throws Exception {
    when(status.all())
        .thenReturn(
            List.of(
                new Status("accounts", List.of(new PartitionStatus(0, 40, 50, 10, 2.5)), 10, 2.5)))
        .thenThrow(new IllegalStateException("Kafka unreachable"));
    when(deadLetters.pendingCount())
        .thenReturn(3L)
        .thenThrow(new IllegalStateException("Kafka unreachable"));

    testSubject.refresh();
    testSubject.refresh();

    assertThat(gauge(ProjectionMeters.POSITION, "accounts", "0")).isEqualTo(40);
    assertThat(registry.get(ProjectionMeters.DEAD_LETTERS_PENDING).gauge().value()).isEqualTo(3);
  }

  @Test
  void nothingIsKnownOfTheDeadLettersBeforeTheFirstRead() {
    assertThat(registry.get(ProjectionMeters.DEAD_LETTERS_PENDING).gauge().value()).isNaN();
  }

  @Test
  void aConsumerGroupNamesItsProjection() {
    assertThat(ProjectionMeters.projectionOf(ProjectionStatus.groupOf("accounts")))
        .isEqualTo("accounts");
    assertThat(ProjectionMeters.projectionOf("someone-else")).isEqualTo("someone-else");
  }

  private double gauge(String name, String projection, String partition) {
    return registry
        .get(name)
        .tags("projection", projection, "partition", partition)
        .gauge()
        .value();
  }
}
