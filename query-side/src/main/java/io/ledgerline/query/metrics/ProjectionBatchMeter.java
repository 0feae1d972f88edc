package io.ledgerline.query.metrics;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.springframework.kafka.listener.BatchInterceptor;
import org.springframework.stereotype.Component;

/**
 * Times each batch a projector handles, from the poll's records to the bulk write acknowledged
 * ({@code ledgerline.projection.batch.duration}, by projection and outcome). Spring Boot puts the
 * one batch interceptor bean on every listener container; each consumer thread handles one batch at
 * a time.
 */
@Component
class ProjectionBatchMeter implements BatchInterceptor<Object, Object> {

  static final String BATCH_DURATION = "ledgerline.projection.batch.duration";

  private final MeterRegistry registry;
  private final Meter.MeterProvider<Timer> batches;
  private final ThreadLocal<Timer.Sample> started = new ThreadLocal<>();

  ProjectionBatchMeter(MeterRegistry registry) {
    this.registry = registry;
    this.batches =
        Timer.builder(BATCH_DURATION)
            .description("A projector's batch: decoding, the bulk write and its acknowledgement")
            .publishPercentileHistogram()
            .withRegistry(registry);
  }

  @Override
  public ConsumerRecords<Object, Object> intercept(
      ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
    started.set(Timer.start(registry));
    return records;
  }

  @Override
  public void success(ConsumerRecords<Object, Object> records, Consumer<Object, Object> consumer) {
    stop(consumer, "success");
  }

  @Override
  public void failure(
      ConsumerRecords<Object, Object> records,
      Exception exception,
      Consumer<Object, Object> consumer) {
    stop(consumer, "failure");
  }

  private void stop(Consumer<Object, Object> consumer, String outcome) {
    Timer.Sample sample = started.get();
    if (sample != null) {
      started.remove();
      String projection = ProjectionMeters.projectionOf(consumer.groupMetadata().groupId());
      sample.stop(batches.withTags("projection", projection, "outcome", outcome));
    }
  }
}
