package io.ledgerline.query.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.ledgerline.query.projection.ProjectionStatus;
import io.ledgerline.query.projection.Projector;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.KafkaUtils;

class DeadLetterMeterTest {

  private final MeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void forgetTheGroup() {
    KafkaUtils.clearConsumerGroupId();
  }

  @Test
  void eachProjectionCountsTheEventsItParkedFromZero() {
    DeadLetterMeter testSubject = new DeadLetterMeter(registry, List.of(projector("accounts")));
    assertThat(parked("accounts")).isZero();

    // The error handler runs on the consumer's thread, where the container names its group.
    KafkaUtils.setConsumerGroupId(ProjectionStatus.groupOf("accounts"));
    var poison = new ConsumerRecord<>("ledgerline.events.v1", 0, 7L, "a-1", new byte[0]);
    testSubject.failedDelivery(poison, new IllegalStateException("unprojectable"), 1);
    testSubject.recovered(poison, new IllegalStateException("unprojectable"));

    assertThat(parked("accounts")).isEqualTo(1);
  }

  private double parked(String projection) {
    return registry.get(DeadLetterMeter.PARKED).tag("projection", projection).counter().count();
  }

  private static Projector projector(String name) {
    Projector projector = mock(Projector.class);
    when(projector.name()).thenReturn(name);
    return projector;
  }
}
