package io.ledgerline.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ledgerline.query.projection.ProjectionStatus;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.junit.jupiter.api.Test;

class ProjectionBatchMeterTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ProjectionBatchMeter testSubject = new ProjectionBatchMeter(registry);

  @Test
  void eachBatchIsTimedByItsProjectionAndOutcome() {
    Consumer<Object, Object> consumer = consumerOf("transactions");
    ConsumerRecords<Object, Object> batch = ConsumerRecords.empty();

    assertThat(testSubject.intercept(batch, consumer)).isSameAs(batch);
    testSubject.success(batch, consumer);
    testSubject.intercept(batch, consumer);
    testSubject.failure(batch, new IllegalStateException("bulk rejected"), consumer);

    assertThat(batches("transactions", "success")).isOne();
    assertThat(batches("transactions", "failure")).isOne();
  }

  @Test
  void anOutcomeWithoutAStartIsNotTimed() {
    testSubject.success(ConsumerRecords.empty(), consumerOf("accounts"));

    assertThat(registry.find(ProjectionBatchMeter.BATCH_DURATION).timers()).isEmpty();
  }

  private long batches(String projection, String outcome) {
    return registry
        .get(ProjectionBatchMeter.BATCH_DURATION)
        .tags("projection", projection, "outcome", outcome)
        .timer()
        .count();
  }

  @SuppressWarnings("unchecked")
  private static Consumer<Object, Object> consumerOf(String projection) {
    Consumer<Object, Object> consumer = mock(Consumer.class);
    when(consumer.groupMetadata())
        .thenReturn(new ConsumerGroupMetadata(ProjectionStatus.groupOf(projection)));
    return consumer;
  }
}
