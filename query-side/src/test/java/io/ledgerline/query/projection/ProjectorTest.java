package io.ledgerline.query.projection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.EventWireFormat;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.TransferRequested;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.support.Acknowledgment;

/**
 * How a batch of Kafka records becomes one write, and which record a failure is blamed on: the
 * error handler retries from that record and eventually parks exactly it on the dead letters.
 */
class ProjectorTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant STORED = Instant.parse("2026-01-31T12:00:00Z");

  /** Projects account events into a list; a test decides what a write does. */
  static final class RecordingProjector extends Projector {

    final List<List<LedgerEventRecord>> writes = new ArrayList<>();
    Function<List<LedgerEventRecord>, BatchResult> outcome = events -> BatchResult.COMPLETE;
    Exception failure;

    RecordingProjector() {
      super(
          null,
          new ReadModelIndex("accounts", "accounts-v1", "/none.json"),
          ProjectionTracing.NONE);
    }

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public boolean handles(Record event) {
      return event instanceof AccountEvent;
    }

    @Override
    protected BatchResult write(List<LedgerEventRecord> events) throws IOException {
      writes.add(List.copyOf(events));
      if (failure instanceof IOException io) {
        throw io;
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      return outcome.apply(events);
    }
  }

  private final RecordingProjector testSubject = new RecordingProjector();
  private int acknowledged;
  private final Acknowledgment ack = () -> acknowledged++;

  @Test
  void writesTheEventsItHandlesInOneBatchThenAcknowledges() {
    testSubject.project(
        List.of(
            record(10, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0)),
            record(11, "t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 5, "EUR", "r")),
            record(12, "a-1", 1, new FundsDeposited("a-1", 100, "EUR", 100, "r"))),
        ack);

    assertThat(testSubject.writes).hasSize(1);
    assertThat(testSubject.writes.get(0))
        .extracting(LedgerEventRecord::aggregateId, LedgerEventRecord::sequence)
        .containsExactly(tuple("a-1", 0L), tuple("a-1", 1L));
    LedgerEventRecord deposit = testSubject.writes.get(0).get(1);
    assertThat(deposit.event()).isEqualTo(new FundsDeposited("a-1", 100, "EUR", 100, "r"));
    assertThat(deposit.globalPosition()).isEqualTo(1_001);
    assertThat(deposit.timestamp()).isEqualTo(STORED.plusSeconds(1));
    assertThat(deposit.offset()).isEqualTo(12);
    assertThat(acknowledged).isEqualTo(1);
  }

  @Test
  void aBatchWithNothingToProjectIsAcknowledgedWithoutAWrite() {
    testSubject.project(
        List.of(record(0, "t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 5, "EUR", "r"))),
        ack);

    assertThat(testSubject.writes).isEmpty();
    assertThat(acknowledged).isEqualTo(1);
  }

  @Test
  void anUndecodableRecordIsBlamedByItsIndexAfterWhatCameBeforeIsWritten() {
    ConsumerRecord<String, byte[]> unknownType =
        record(2, "a-1", 2, new FundsDeposited("a-1", 1, "EUR", 1, "r"));
    unknownType.headers().remove(EventWireFormat.EVENT_TYPE);
    unknownType.headers().add(EventWireFormat.EVENT_TYPE, bytes("FundsTeleported"));

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(
                        record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0)),
                        record(1, "a-1", 1, new FundsDeposited("a-1", 1, "EUR", 1, "r")),
                        unknownType,
                        record(3, "a-1", 3, new FundsDeposited("a-1", 1, "EUR", 2, "r"))),
                    ack))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class,
            failed -> assertThat(failed.getIndex()).isEqualTo(2))
        .hasRootCauseMessage("unknown event type FundsTeleported");
    assertThat(testSubject.writes).hasSize(1);
    assertThat(testSubject.writes.get(0))
        .extracting(LedgerEventRecord::sequence)
        .containsExactly(0L, 1L);
    assertThat(acknowledged).isZero();
  }

  @Test
  void aRecordWithoutItsHeadersOrWithBrokenJsonIsUndecodable() {
    ConsumerRecord<String, byte[]> noSequence =
        record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0));
    noSequence.headers().remove(EventWireFormat.SEQUENCE);
    ConsumerRecord<String, byte[]> brokenJson =
        new ConsumerRecord<>(EventWireFormat.EVENTS_TOPIC, 0, 1, "a-1", bytes("{\"accountId\":"));
    record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0))
        .headers()
        .forEach(header -> brokenJson.headers().add(header));

    for (ConsumerRecord<String, byte[]> undecodable : List.of(noSequence, brokenJson)) {
      assertThatThrownBy(() -> testSubject.project(List.of(undecodable), ack))
          .isInstanceOfSatisfying(
              BatchListenerFailedException.class, failed -> assertThat(failed.getIndex()).isZero())
          .hasCauseInstanceOf(UndecodableEventException.class);
    }
    assertThat(testSubject.writes).isEmpty();
    assertThat(acknowledged).isZero();
  }

  @Test
  void anEventThatCannotBeAppliedIsBlamedOnItsOwnRecord() {
    testSubject.outcome =
        events -> new Projector.BatchResult(1, new IllegalStateException("never opened"));

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(
                        record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0)),
                        record(
                            1, "t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 5, "EUR", "r")),
                        record(2, "a-9", 4, new FundsDeposited("a-9", 1, "EUR", 1, "r"))),
                    ack))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class,
            // The second event written is the third record: the transfer event is not ours.
            failed -> assertThat(failed.getIndex()).isEqualTo(2))
        .hasMessageContaining("never opened");
    assertThat(acknowledged).isZero();
  }

  @Test
  void aRejectedDocumentIsBlamedOnTheFirstRecordOfThatDocument() {
    testSubject.failure =
        new RejectedDocumentException("accounts-v1", "a-2", 400, "mapper_parsing");

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(
                        record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0)),
                        record(
                            1, "t-1", 0, new TransferRequested("t-1", "a-1", "a-2", 5, "EUR", "r")),
                        record(2, "a-2", 0, new AccountOpened("a-2", "o-1", "EUR", 0)),
                        record(3, "a-2", 1, new FundsDeposited("a-2", 1, "EUR", 1, "r"))),
                    ack))
        .isInstanceOfSatisfying(
            BatchListenerFailedException.class,
            failed -> assertThat(failed.getIndex()).isEqualTo(2));
    assertThat(acknowledged).isZero();
  }

  @Test
  void aPassingReadStoreFailureBlamesNoRecordAndLeavesTheOffsets() {
    testSubject.failure = new SocketTimeoutException("30,000 ms");

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(record(0, "a-1", 0, new AccountOpened("a-1", "o-1", "EUR", 0))), ack))
        .isInstanceOf(ReadStoreUnavailableException.class)
        .hasMessageContaining("projection recording")
        .hasCauseInstanceOf(SocketTimeoutException.class);
    assertThat(acknowledged).isZero();
  }

  @Test
  void aGapIsPassedOnAsItIsForTheErrorHandlerToRetry() {
    var gap = new ProjectionGapException("a-1 expects event 2 but received 3");
    testSubject.failure = gap;

    assertThatThrownBy(
            () ->
                testSubject.project(
                    List.of(record(0, "a-1", 3, new FundsDeposited("a-1", 1, "EUR", 1, "r"))), ack))
        .isSameAs(gap);
    assertThat(acknowledged).isZero();
  }

  @Test
  void conflictsAreRedundantWritesOfARedelivery() {
    assertThatCode(
            () ->
                Projector.requireWritten(
                    List.of(
                        item("a-1", 201, null),
                        item("a-2", 409, "version_conflict_engine_exception"),
                        item("a-3", 409, "version_conflict_engine_exception"))))
        .doesNotThrowAnyException();
  }

  @Test
  void theFirstRejectedItemFailsTheBatch() {
    assertThatThrownBy(
            () ->
                Projector.requireWritten(
                    List.of(
                        item("a-1", 409, "version_conflict_engine_exception"),
                        item("a-2", 400, "mapper_parsing_exception"),
                        item("a-3", 400, "mapper_parsing_exception"))))
        .isInstanceOfSatisfying(
            RejectedDocumentException.class,
            rejected -> {
              assertThat(rejected.documentId()).isEqualTo("a-2");
              assertThat(rejected.status()).isEqualTo(400);
            });
  }

  @Test
  void aPassingItemFailureOutranksARejectionSoTheWholeBatchIsRetried() {
    assertThatThrownBy(
            () ->
                Projector.requireWritten(
                    List.of(
                        item("a-1", 400, "mapper_parsing_exception"),
                        item("a-2", 429, "es_rejected_execution_exception"))))
        .isInstanceOfSatisfying(
            RejectedDocumentException.class,
            rejected -> {
              assertThat(rejected.documentId()).isEqualTo("a-2");
              assertThat(ReadStoreFailures.isTransient(rejected)).isTrue();
            });
  }

  private static BulkResponseItem item(String id, int status, String errorType) {
    return BulkResponseItem.of(
        item -> {
          item.operationType(OperationType.Index).index("accounts-v1").id(id).status(status);
          if (errorType != null) {
            item.error(error -> error.type(errorType).reason(errorType + " on " + id));
          }
          return item;
        });
  }

  /**
   * A record as the publisher sends it: global position 1000 + sequence, stored at + sequence s.
   */
  private static ConsumerRecord<String, byte[]> record(
      long offset, String aggregateId, long sequence, Record event) {
    try {
      var record =
          new ConsumerRecord<>(
              EventWireFormat.EVENTS_TOPIC, 0, offset, aggregateId, JSON.writeValueAsBytes(event));
      record.headers().add(EventWireFormat.EVENT_ID, bytes(aggregateId + "/" + sequence));
      record
          .headers()
          .add(EventWireFormat.EVENT_TYPE, bytes(EventWireFormat.typeName(event.getClass())));
      record.headers().add(EventWireFormat.SEQUENCE, bytes(Long.toString(sequence)));
      record.headers().add(EventWireFormat.GLOBAL_POSITION, bytes(Long.toString(1_000 + sequence)));
      record
          .headers()
          .add(EventWireFormat.TIMESTAMP, bytes(STORED.plusSeconds(sequence).toString()));
      return record;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
