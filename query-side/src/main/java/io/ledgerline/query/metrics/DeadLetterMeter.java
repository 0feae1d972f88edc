package io.ledgerline.query.metrics;

import io.ledgerline.query.projection.Projector;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.KafkaUtils;
import org.springframework.stereotype.Component;

/**
 * Counts the events each projection parks on the dead-letter topic ({@code
 * ledgerline.projection.dead.letters.parked}). The projectors' error handler tells every {@link
 * RetryListener} bean; it runs on the consumer's thread, which knows its group.
 */
@Component
class DeadLetterMeter implements RetryListener {

  static final String PARKED = "ledgerline.projection.dead.letters.parked";

  private final Meter.MeterProvider<Counter> parked;

  DeadLetterMeter(MeterRegistry registry, List<Projector> projections) {
    this.parked =
        Counter.builder(PARKED)
            .description("Events a projection gave up on and parked on the dead-letter topic")
            .withRegistry(registry);
    // Every projection reads 0 from the start, so a rate over it has a first sample.
    projections.forEach(projection -> parked.withTags("projection", projection.name()));
  }

  @Override
  public void failedDelivery(ConsumerRecord<?, ?> record, Exception exception, int attempt) {
    // Retried: only a parked event counts.
  }

  @Override
  public void recovered(ConsumerRecord<?, ?> record, Exception exception) {
    parkedHere().increment();
  }

  // A failure that names no record parks the whole batch.
  @Override
  public void recovered(ConsumerRecords<?, ?> records, Exception exception) {
    parkedHere().increment(records.count());
  }

  private Counter parkedHere() {
    return parked.withTags(
        "projection", ProjectionMeters.projectionOf(KafkaUtils.getConsumerGroupId()));
  }
}
