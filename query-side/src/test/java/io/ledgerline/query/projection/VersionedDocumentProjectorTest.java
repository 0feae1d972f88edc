package io.ledgerline.query.projection;

import static io.ledgerline.query.projection.LedgerEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.ledgerline.query.projection.Projector.BatchResult;
import io.ledgerline.query.projection.VersionedDocumentProjector.Fold;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The versioning rule every one-document-per-aggregate projection shares, on a document that lists
 * the events folded into it.
 */
class VersionedDocumentProjectorTest {

  record Step(String note) {}

  record Unappliable() {}

  /** The events folded in, in order; its version is the last one's sequence number. */
  record Trail(String id, long version, List<String> notes) {}

  static final class TrailProjector extends VersionedDocumentProjector<Trail> {

    TrailProjector() {
      // No client: folding must not touch the read store.
      super(
          null,
          new ReadModelIndex("trails", "trails-v1", "/none.json"),
          ProjectionTracing.NONE,
          Trail.class);
    }

    @Override
    public String name() {
      return "trails";
    }

    @Override
    public boolean handles(Record event) {
      return true;
    }

    @Override
    protected Trail apply(Trail current, LedgerEventRecord event) {
      if (event.event() instanceof Unappliable) {
        throw new IllegalArgumentException("cannot apply " + event.sequence());
      }
      List<String> notes = new ArrayList<>(current == null ? List.of() : current.notes());
      notes.add(((Step) event.event()).note());
      return new Trail(event.aggregateId(), event.sequence(), notes);
    }

    @Override
    protected long version(Trail document) {
      return document.version();
    }
  }

  private final TrailProjector testSubject = new TrailProjector();

  @Test
  void foldsAFirstHistoryFromNothing() {
    Fold<Trail> fold =
        testSubject.fold(
            Map.of(),
            List.of(
                event("a", 0, new Step("open")),
                event("b", 0, new Step("other")),
                event("a", 1, new Step("deposit"))));

    assertThat(fold.changed())
        .containsExactly(
            Map.entry("a", new Trail("a", 1, List.of("open", "deposit"))),
            Map.entry("b", new Trail("b", 0, List.of("other"))));
    assertThat(fold.result()).isEqualTo(BatchResult.COMPLETE);
    assertThat(fold.gap()).isNull();
  }

  @Test
  void continuesFromTheStoredDocument() {
    Trail stored = new Trail("a", 1, List.of("open", "deposit"));

    Fold<Trail> fold = testSubject.fold(Map.of("a", stored), List.of(event("a", 2, new Step("x"))));

    assertThat(fold.changed())
        .containsExactly(Map.entry("a", new Trail("a", 2, List.of("open", "deposit", "x"))));
  }

  @Test
  void aRedeliveredBatchChangesNothing() {
    List<LedgerEventRecord> batch =
        List.of(event("a", 0, new Step("open")), event("a", 1, new Step("deposit")));
    Trail afterFirstDelivery = testSubject.fold(Map.of(), batch).changed().get("a");

    Fold<Trail> redelivery = testSubject.fold(Map.of("a", afterFirstDelivery), batch);

    assertThat(redelivery.changed()).isEmpty();
    assertThat(redelivery.result()).isEqualTo(BatchResult.COMPLETE);
    assertThat(redelivery.gap()).isNull();
  }

  @Test
  void anEventRepeatedWithinOneBatchIsFoldedOnce() {
    Fold<Trail> fold =
        testSubject.fold(
            Map.of(),
            List.of(
                event("a", 0, new Step("open")),
                event("a", 1, new Step("deposit")),
                event("a", 1, new Step("deposit")),
                event("a", 0, new Step("open"))));

    assertThat(fold.changed().get("a")).isEqualTo(new Trail("a", 1, List.of("open", "deposit")));
  }

  @Test
  void anOlderEventArrivingLateDoesNotRegressTheDocument() {
    Trail stored = new Trail("a", 5, List.of("0", "1", "2", "3", "4", "5"));

    Fold<Trail> fold =
        testSubject.fold(
            Map.of("a", stored),
            List.of(event("a", 3, new Step("late 3")), event("a", 0, new Step("late 0"))));

    assertThat(fold.changed()).isEmpty();
    assertThat(fold.gap()).isNull();
  }

  @Test
  void anEventAheadOfItsPredecessorStopsTheFoldWithAGap() {
    Trail stored = new Trail("a", 1, List.of("0", "1"));

    Fold<Trail> fold =
        testSubject.fold(
            Map.of("a", stored),
            List.of(
                event("b", 0, new Step("b0")),
                event("a", 3, new Step("a3")),
                event("b", 1, new Step("b1"))));

    // What came before the gap is still written; nothing after it, not even another aggregate's.
    assertThat(fold.changed()).containsOnlyKeys("b");
    assertThat(fold.changed().get("b").version()).isZero();
    assertThat(fold.gap()).hasMessage("a expects event 2 but received 3");
  }

  @Test
  void aHistoryThatDoesNotStartAtZeroIsAGap() {
    Fold<Trail> fold = testSubject.fold(Map.of(), List.of(event("a", 1, new Step("1"))));

    assertThat(fold.changed()).isEmpty();
    assertThat(fold.gap()).hasMessage("a expects event 0 but received 1");
  }

  @Test
  void anEventThatCannotBeAppliedStopsTheFoldAtItsIndex() {
    Fold<Trail> fold =
        testSubject.fold(
            Map.of(),
            List.of(
                event("a", 0, new Step("open")),
                event("b", 0, new Unappliable()),
                event("a", 1, new Step("after"))));

    assertThat(fold.changed()).containsExactly(Map.entry("a", new Trail("a", 0, List.of("open"))));
    assertThat(fold.result().failedAt()).isEqualTo(1);
    assertThat(fold.result().failure()).hasMessage("cannot apply 0");
    assertThat(fold.gap()).isNull();
  }

  @Test
  void leavesTheStoredDocumentsAsTheyWere() {
    Map<String, Trail> stored = new HashMap<>(Map.of("a", new Trail("a", 0, List.of("open"))));
    Map<String, Trail> before = Map.copyOf(stored);

    testSubject.fold(stored, List.of(event("a", 1, new Step("deposit"))));

    assertThat(stored).isEqualTo(before);
  }

  @Test
  void writesEachDocumentWithItsVersionAsExternalVersion() {
    Map<String, Trail> changed = new LinkedHashMap<>();
    changed.put("a", new Trail("a", 7, List.of("7")));
    changed.put("b", new Trail("b", 0, List.of("0")));

    List<BulkOperation> operations = testSubject.operations("trails-v2", changed);

    // An external version makes Elasticsearch refuse an older document over a newer one.
    assertThat(operations).allSatisfy(operation -> assertThat(operation.isIndex()).isTrue());
    assertThat(operations)
        .extracting(
            operation -> operation.index().index(),
            operation -> operation.index().id(),
            operation -> operation.index().version(),
            operation -> operation.index().versionType(),
            operation -> operation.index().document())
        .containsExactly(
            tuple("trails-v2", "a", 7L, VersionType.External, changed.get("a")),
            tuple("trails-v2", "b", 0L, VersionType.External, changed.get("b")));
  }
}
