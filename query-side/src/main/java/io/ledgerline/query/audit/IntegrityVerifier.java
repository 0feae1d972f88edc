package io.ledgerline.query.audit;

import io.ledgerline.eventstore.Checkpoint;
import io.ledgerline.eventstore.EventHash;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.RowVisitor;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.query.api.NotFoundException;
import io.swagger.v3.oas.annotations.media.Schema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Verifies the event store's tamper evidence: every aggregate's hash chain, recomputed from the
 * stored fields, and the signed checkpoints over the global order. Reports the first broken link.
 */
@Component
class IntegrityVerifier {

  record BrokenLink(String aggregateId, Long sequence, Long globalPosition, String problem) {}

  @Schema(name = "IntegrityReport")
  record Report(
      @Schema(description = "Whether every chain and checkpoint checked holds", example = "true")
          boolean valid,
      @Schema(description = "How many events were checked", example = "1042") long checked,
      @Schema(description = "The first broken link, when there is one") BrokenLink firstBroken) {}

  private final EventStoreReader store;
  private final byte[] key;

  IntegrityVerifier(
      EventStoreReader store, @Value("${ledgerline.audit.checkpoint-key}") String key) {
    this.store = store;
    this.key = key.getBytes(StandardCharsets.UTF_8);
  }

  /** One aggregate's chain, or the whole store (every chain, then every checkpoint). */
  Report verify(String aggregateId) {
    long[] checked = {0};
    BrokenLink[] broken = {null};
    String[] currentAggregate = {null};
    byte[][] previous = {null};
    long[] expectedSequence = {0};
    RowVisitor<StoredEvent, RuntimeException> chain =
        row -> {
          String aggregate = row.aggregateId();
          long sequence = row.sequence();
          long position = row.globalPosition();
          if (!aggregate.equals(currentAggregate[0])) {
            currentAggregate[0] = aggregate;
            previous[0] = null;
            expectedSequence[0] = 0;
          }
          if (sequence != expectedSequence[0]) {
            broken[0] =
                new BrokenLink(
                    aggregate,
                    expectedSequence[0],
                    null,
                    "event "
                        + expectedSequence[0]
                        + " is missing (next stored is "
                        + sequence
                        + ")");
            return false;
          }
          byte[] expected = EventHash.of(previous[0], row);
          if (!Arrays.equals(expected, row.hash())) {
            broken[0] =
                new BrokenLink(
                    aggregate, sequence, position, "stored event does not match its hash chain");
            return false;
          }
          previous[0] = expected;
          expectedSequence[0]++;
          checked[0]++;
          return true;
        };
    if (aggregateId == null) {
      store.streamEveryAggregate(chain);
    } else {
      store.streamAggregate(aggregateId, chain);
    }
    if (broken[0] == null && aggregateId != null && checked[0] == 0) {
      throw new NotFoundException("no events for " + aggregateId);
    }
    if (broken[0] == null && aggregateId == null) {
      broken[0] = verifyCheckpoints();
    }
    return new Report(broken[0] == null, checked[0], broken[0]);
  }

  /** Replays the global order against every signed checkpoint. */
  private BrokenLink verifyCheckpoints() {
    List<Checkpoint> checkpoints = store.checkpoints();
    for (Checkpoint checkpoint : checkpoints) {
      if (!MessageDigest.isEqual(
          checkpoint.signature(),
          EventHash.signature(
              key,
              checkpoint.upToGlobalIndex(),
              checkpoint.eventCount(),
              checkpoint.runningHash()))) {
        return new BrokenLink(
            null,
            null,
            checkpoint.upToGlobalIndex(),
            "checkpoint " + checkpoint.id() + " has a bad signature");
      }
    }
    if (checkpoints.isEmpty()) {
      return null;
    }
    byte[][] running = {EventHash.runningStart()};
    long[] count = {0};
    long[] lastPosition = {0};
    int[] next = {0};
    BrokenLink[] broken = {null};
    long lastCovered = checkpoints.get(checkpoints.size() - 1).upToGlobalIndex();
    store.streamHashes(
        Long.MIN_VALUE,
        lastCovered,
        EventStoreReader.UNLIMITED,
        row -> {
          running[0] = EventHash.running(running[0], row.hash());
          count[0]++;
          lastPosition[0] = row.globalPosition();
          while (next[0] < checkpoints.size()
              && checkpoints.get(next[0]).upToGlobalIndex() <= lastPosition[0]) {
            Checkpoint checkpoint = checkpoints.get(next[0]);
            if (checkpoint.upToGlobalIndex() != lastPosition[0]
                || checkpoint.eventCount() != count[0]
                || !Arrays.equals(checkpoint.runningHash(), running[0])) {
              broken[0] =
                  new BrokenLink(
                      null,
                      null,
                      checkpoint.upToGlobalIndex(),
                      "the global order up to "
                          + checkpoint.upToGlobalIndex()
                          + " differs from checkpoint "
                          + checkpoint.id()
                          + " (events inserted, deleted, reordered or rewritten)");
              return false;
            }
            next[0]++;
          }
          return true;
        });
    if (broken[0] == null && next[0] < checkpoints.size()) {
      Checkpoint checkpoint = checkpoints.get(next[0]);
      broken[0] =
          new BrokenLink(
              null,
              null,
              checkpoint.upToGlobalIndex(),
              "the store ends at "
                  + lastPosition[0]
                  + " but checkpoint "
                  + checkpoint.id()
                  + " covers up to "
                  + checkpoint.upToGlobalIndex()
                  + " (truncated)");
    }
    return broken[0];
  }
}
