package io.ledgerline.command.deadletter;

import java.util.List;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.config.EventProcessingConfigurer;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.deadletter.jdbc.DeadLetterSchema;
import org.axonframework.eventhandling.deadletter.jdbc.JdbcSequencedDeadLetterQueue;
import org.axonframework.serialization.Serializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Dead letters for the command side's tracking processors: an event that a processor can never
 * handle is parked in {@code dead_letter_entry} (Flyway's V7) with its reason, and the processor
 * goes on with every other event; a failure that a retry can cure still rolls the batch back and is
 * retried (see {@link DeadLetterPolicy}). Operators list and retry parked events through {@link
 * DeadLetterController}.
 *
 * <ul>
 *   <li>{@value #TRANSFER_PROCESS}: sequenced per transfer ({@link TransferSequencingPolicy}), so a
 *       parked event holds back its own transfer only, which then reads as stuck.
 *   <li>{@value #KAFKA_PUBLISHER}: sequenced per aggregate (Axon's default, as the topic is keyed),
 *       so an aggregate's later events wait behind its parked one and Kafka keeps their order.
 *   <li>{@value #TOP_UP_PROCESS}: sequenced per aggregate, which for the one event it handles (a
 *       top-up's success) is the top-up, so a deposit the account refused holds back its own top-up
 *       only, which then reads as stuck.
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class DeadLetterConfiguration {

  /** The transfer process's processing group ({@code TransferProcess}). */
  static final String TRANSFER_PROCESS = "transfer-process";

  /** The Kafka publisher's processing group ({@code KafkaEventPublisher}). */
  static final String KAFKA_PUBLISHER = "kafka-publisher";

  /** The top-up process's processing group ({@code TopUpProcess}). */
  static final String TOP_UP_PROCESS = "top-up-process";

  /** The processors with a dead-letter queue. */
  static final List<String> PROCESSORS = List.of(TRANSFER_PROCESS, KAFKA_PUBLISHER, TOP_UP_PROCESS);

  // Past either bound the queue refuses more letters and the processor stops and retries, as it did
  // before dead letters: nothing is ever dropped.
  private static final int MAX_SEQUENCES = 1024;
  private static final int MAX_SEQUENCE_SIZE = 10_000;

  /** Axon's dead-letter table on the snake_case names of V7 (Axon creates no tables here). */
  @Bean
  DeadLetterSchema deadLetterSchema() {
    return DeadLetterSchema.builder()
        .deadLetterTable("dead_letter_entry")
        .deadLetterIdentifierColumn("dead_letter_id")
        .processingGroupColumn("processing_group")
        .sequenceIdentifierColumn("sequence_identifier")
        .sequenceIndexColumn("sequence_index")
        .messageTypeColumn("message_type")
        .eventIdentifierColumn("event_identifier")
        .timestampColumn("time_stamp")
        .payloadTypeColumn("payload_type")
        .payloadRevisionColumn("payload_revision")
        .payloadColumn("payload")
        .metaDataColumn("meta_data")
        .aggregateTypeColumn("aggregate_type")
        .aggregateIdentifierColumn("aggregate_identifier")
        .sequenceNumberColumn("sequence_number")
        .tokenTypeColumn("token_type")
        .tokenColumn("token")
        .enqueuedAtColumn("enqueued_at")
        .lastTouchedColumn("last_touched")
        .processingStartedColumn("processing_started")
        .causeTypeColumn("cause_type")
        .causeMessageColumn("cause_message")
        .diagnosticsColumn("diagnostics")
        .build();
  }

  /**
   * Registers the queues, their policies and the transfer process's sequencing. The queue stores a
   * parked event's payload with the event store's own serializer, so an event that does not
   * deserialize is copied as stored rather than failing again on the way in.
   */
  @Bean
  ConfigurerModule deadLetterQueues(
      DeadLetterSchema schema,
      ConnectionProvider connectionProvider,
      TransactionManager transactionManager,
      @Qualifier("eventSerializer") Serializer eventSerializer,
      Serializer serializer) {
    return configurer -> {
      EventProcessingConfigurer processing = configurer.eventProcessing();
      processing
          .registerSequencingPolicy(
              TRANSFER_PROCESS, configuration -> new TransferSequencingPolicy())
          .registerDeadLetterPolicy(
              TRANSFER_PROCESS, configuration -> DeadLetterPolicy.parkingAllButTransient())
          .registerDeadLetterPolicy(
              KAFKA_PUBLISHER, configuration -> DeadLetterPolicy.parkingOnlyUnpublishable())
          .registerDeadLetterPolicy(
              TOP_UP_PROCESS, configuration -> DeadLetterPolicy.parkingAllButTransient());
      for (String processor : PROCESSORS) {
        processing
            .registerDeadLetterQueue(
                processor,
                configuration ->
                    JdbcSequencedDeadLetterQueue.<EventMessage<?>>builder()
                        .processingGroup(processor)
                        .connectionProvider(connectionProvider)
                        .transactionManager(transactionManager)
                        .schema(schema)
                        .genericSerializer(serializer)
                        .eventSerializer(eventSerializer)
                        .maxSequences(MAX_SEQUENCES)
                        .maxSequenceSize(MAX_SEQUENCE_SIZE)
                        .build())
            // Asks the table whether an event's sequence is parked only when it may be.
            .registerDeadLetteringEventHandlerInvokerConfiguration(
                processor, (configuration, invoker) -> invoker.enableSequenceIdentifierCache());
      }
    };
  }
}
