package io.ledgerline.command.eventstore;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.ledgerline.events.EventRevisions;
import java.sql.SQLException;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.EventBusSpanFactory;
import org.axonframework.eventhandling.tokenstore.jdbc.TokenSchema;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.modelling.saga.repository.jdbc.PostgresSagaSqlSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSchema;
import org.axonframework.modelling.saga.repository.jdbc.SagaSqlSchema;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * The PostgreSQL event store: Axon's JDBC engine on the snake_case tables that Flyway creates
 * ({@code db/migration}), with a Jackson serializer that the web layer cannot reconfigure.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EventStoreProperties.class)
class EventStoreConfiguration {

  /** PostgreSQL's SQLSTATE for a unique-constraint violation. */
  private static final String UNIQUE_VIOLATION = "23505";

  @Bean
  EventSchema eventSchema() {
    return EventSchema.builder()
        .eventTable("domain_event_entry")
        .snapshotTable("snapshot_event_entry")
        .globalIndexColumn("global_index")
        .eventIdentifierColumn("event_identifier")
        .aggregateIdentifierColumn("aggregate_identifier")
        .sequenceNumberColumn("sequence_number")
        .typeColumn("type")
        .timestampColumn("time_stamp")
        .payloadTypeColumn("payload_type")
        .payloadRevisionColumn("payload_revision")
        .payloadColumn("payload")
        .metaDataColumn("meta_data")
        .build();
  }

  @Bean
  TokenSchema tokenSchema() {
    return TokenSchema.builder()
        .setTokenTable("token_entry")
        .setProcessorNameColumn("processor_name")
        .setSegmentColumn("segment")
        .setTokenColumn("token")
        .setTokenTypeColumn("token_type")
        .setTimestampColumn("timestamp")
        .setOwnerColumn("owner")
        .build();
  }

  /**
   * Axon's JDBC engine with deliberate gap settings. A gap in the global order is a position whose
   * append rolled back (never filled) or whose transaction is still in flight (filled later); the
   * tracking processors keep every gap in their token until it is filled, older than {@code
   * gap-timeout}, or more than {@code max-gap-offset} positions behind. Every event a processor
   * holds in memory carries its own copy of that set, so the set must stay small (cleaned once it
   * holds {@code gap-cleaning-threshold} gaps), yet a gap must live longer than any transaction can
   * (commands time out after 10 s) so that a late commit is never skipped.
   */
  @Bean
  EventStorageEngine eventStorageEngine(
      Serializer defaultSerializer,
      PersistenceExceptionResolver persistenceExceptionResolver,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      org.axonframework.config.Configuration configuration,
      ConnectionProvider connectionProvider,
      TransactionManager transactionManager,
      EventSchema eventSchema,
      EventStoreProperties properties) {
    JdbcEventStorageEngine.Builder builder =
        JdbcEventStorageEngine.builder()
            .snapshotSerializer(defaultSerializer)
            .upcasterChain(configuration.upcasterChain())
            .persistenceExceptionResolver(persistenceExceptionResolver)
            .eventSerializer(eventSerializer)
            .snapshotFilter(configuration.snapshotFilter())
            .connectionProvider(connectionProvider)
            .transactionManager(transactionManager)
            .schema(eventSchema)
            .gapTimeout((int) properties.gapTimeout().toMillis())
            .gapCleaningThreshold(properties.gapCleaningThreshold())
            .maxGapOffset(properties.maxGapOffset());
    return new BoundedReadAheadStorageEngine(
        builder, properties.cachedEvents(), properties.readAheadInterval());
  }

  /**
   * The event store, with a bounded read-ahead shared by the tracking processors.
   *
   * <p>Each cached event holds its own tracking token (with its gaps), so Axon's default of 10,000
   * cached events can hold hundreds of megabytes. And the cache is a linked list that one thread
   * fills as fast as the database answers while any processor reads from it, so two things can hold
   * far more than the cache: the reader's own call, which keeps every event it linked until it
   * returns (bounded by {@link BoundedReadAheadStorageEngine}: found in a heap dump of a backlog's
   * OutOfMemoryError), and a processor slower than the reader (the Kafka publisher working off a
   * backlog while the transfer process keeps up), which holds every event read after its position
   * until Axon's clean-up moves it to a stream of its own, every 10 s by default; checked every
   * {@code cleanupDelay} (200 ms), it holds at most what the reader reads in that time.
   */
  @Bean
  EmbeddedEventStore eventStore(
      EventStorageEngine storageEngine,
      org.axonframework.config.Configuration configuration,
      EventStoreProperties properties) {
    return EmbeddedEventStore.builder()
        .storageEngine(storageEngine)
        .messageMonitor(configuration.messageMonitor(EventStore.class, "eventStore"))
        .spanFactory(configuration.getComponent(EventBusSpanFactory.class))
        .cachedEvents(properties.cachedEvents())
        .cleanupDelay(properties.cleanupDelay().toMillis())
        .fetchDelay(properties.fetchDelay().toMillis())
        .build();
  }

  @Bean
  SagaSqlSchema sagaSqlSchema() {
    return new PostgresSagaSqlSchema(
        SagaSchema.builder()
            .sagaEntryTable("saga_entry")
            .revisionColumn("revision")
            .serializedSagaColumn("serialized_saga")
            .associationValueEntryTable("association_value_entry")
            .associationKeyColumn("association_key")
            .associationValueColumn("association_value")
            .sagaIdColumn("saga_id")
            .sagaTypeColumn("saga_type")
            .build());
  }

  /**
   * Tells Axon that an append lost a race on (aggregate, sequence number), so it raises a
   * concurrency exception the API can answer with 409 instead of a generic failure.
   */
  @Bean
  PersistenceExceptionResolver persistenceExceptionResolver() {
    return exception -> {
      for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
        if (cause instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
          return true;
        }
      }
      return false;
    };
  }

  /** Serializes everything Axon stores; built here so no web-layer setting can change it. */
  @Bean
  @Primary
  Serializer serializer() {
    return jacksonSerializer();
  }

  @Bean
  @Qualifier("eventSerializer")
  Serializer eventSerializer() {
    return jacksonSerializer();
  }

  @Bean
  @Qualifier("messageSerializer")
  Serializer messageSerializer() {
    return jacksonSerializer();
  }

  private static JacksonSerializer jacksonSerializer() {
    return JacksonSerializer.builder()
        .objectMapper(storageObjectMapper())
        // Revisions are part of the event contracts (shared-events), not Axon annotations.
        .revisionResolver(EventRevisions::revisionOf)
        .build();
  }

  /** The one mapper of stored data: ISO-8601 times, tolerant of fields added later. */
  static ObjectMapper storageObjectMapper() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }
}
