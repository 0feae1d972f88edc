package io.ledgerline.query.projection;

import co.elastic.clients.json.JsonpMapper;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.events.EventWireFormat;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.TopicPartition;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.CommonDelegatingErrorHandler;
import org.springframework.kafka.listener.CommonErrorHandler;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.RetryListener;
import org.springframework.kafka.support.ExponentialBackOffWithMaxRetries;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * How projectors fail. An unreachable, overloaded or failing Elasticsearch is retried without end
 * (with back-off), so an outage delays the read models but loses and parks nothing. A record that
 * cannot be projected (undecodable, a projection bug, a document Elasticsearch rejects) is retried
 * a bounded number of times, then parked on the dead-letter topic with its reason while the
 * projection carries on; {@link RetryListener} beans hear of every retry and parking.
 */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfiguration {

  /** Where unprojectable events are parked, with the failure in the record's headers. */
  public static final String DEAD_LETTER_TOPIC = EventWireFormat.EVENTS_TOPIC + ".dlt";

  /**
   * A passing failure of the read store (or an event whose predecessor is not projected yet) is
   * retried with back-off for as long as it lasts, and the batch's offsets stay uncommitted. Only a
   * record reported as unprojectable is retried a bounded number of times and then parked.
   */
  @Bean
  CommonErrorHandler projectionErrorHandler(
      KafkaTemplate<Object, Object> kafka,
      @Value("${ledgerline.projection.max-attempts:5}") int maxAttempts,
      ObjectProvider<RetryListener> retryListeners) {
    var recoverer =
        new DeadLetterPublishingRecoverer(
            kafka, (record, exception) -> new TopicPartition(DEAD_LETTER_TOPIC, -1));
    var poisonBackOff = new ExponentialBackOffWithMaxRetries(maxAttempts - 1);
    poisonBackOff.setInitialInterval(200);
    poisonBackOff.setMaxInterval(5_000);
    var poison = new DefaultErrorHandler(recoverer, poisonBackOff);
    poison.setRetryListeners(retryListeners.orderedStream().toArray(RetryListener[]::new));

    var outageBackOff = new ExponentialBackOff(500, 2);
    outageBackOff.setMaxInterval(10_000);
    var outage =
        new DefaultErrorHandler(
            (record, exception) -> {
              // An unbounded back-off never ends in recovery; refuse to park should it ever do.
              throw new IllegalStateException(
                  "a passing failure is never dead-lettered", exception);
            },
            outageBackOff);

    var handler = new CommonDelegatingErrorHandler(poison);
    handler.setCauseChainTraversing(true);
    handler.addDelegate(ReadStoreUnavailableException.class, outage);
    handler.addDelegate(ProjectionGapException.class, outage);
    return handler;
  }

  @Bean
  NewTopic deadLetterTopic(@Value("${ledgerline.kafka.events-topic.replicas:1}") short replicas) {
    return TopicBuilder.name(DEAD_LETTER_TOPIC).partitions(1).replicas(replicas).build();
  }

  /** Elasticsearch documents hold ISO-8601 times and tolerate fields added later. */
  @Bean
  JsonpMapper elasticsearchJsonMapper() {
    return new JacksonJsonpMapper(
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));
  }
}
