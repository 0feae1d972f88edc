package io.ledgerline.query.rebuild;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Where one rebuild stands. Updated by its worker thread only. */
final class Progress {

  private final String id;
  private final String projection;
  private final Instant startedAt = Instant.now();
  private volatile String phase = "REPLAYING";
  private volatile String previousIndex;
  private volatile String newIndex;
  private volatile long total;
  private volatile long processed;
  private volatile Instant finishedAt;
  private volatile Parity parity;
  private volatile String error;
  private volatile double replayRate;

  Progress(String id, String projection) {
    this.id = id;
    this.projection = projection;
  }

  String id() {
    return id;
  }

  void indices(String previous, String target, long eventsInStore) {
    this.previousIndex = previous;
    this.newIndex = target;
    this.total = eventsInStore;
  }

  void processed(long events) {
    processed += events;
  }

  void phase(String next) {
    if (phase.equals("REPLAYING") && !next.equals("REPLAYING")) {
      double seconds =
          Math.max(0.001, Duration.between(startedAt, Instant.now()).toMillis() / 1000.0);
      replayRate = processed / seconds;
    }
    phase = next;
  }

  void parity(Parity result) {
    parity = result;
  }

  void fail(String why) {
    phase = "FAILED";
    error = why;
    finishedAt = Instant.now();
  }

  void finish() {
    finishedAt = Instant.now();
  }

  Map<String, Object> toDocument() {
    double seconds =
        Math.max(
            0.001,
            Duration.between(startedAt, finishedAt == null ? Instant.now() : finishedAt).toMillis()
                / 1000.0);
    double rate = processed / seconds;
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("rebuildId", id);
    document.put("projection", projection);
    document.put("phase", phase);
    document.put("done", finishedAt != null);
    document.put("previousIndex", previousIndex);
    document.put("newIndex", newIndex);
    document.put("eventsProcessed", processed);
    document.put("eventsTotal", Math.max(total, processed));
    // During the replay, its rate so far; afterwards, the replay's own rate (not the tail's wait).
    document.put("eventsPerSecond", Math.round(replayRate > 0 ? replayRate : rate));
    document.put(
        "etaSeconds",
        finishedAt != null || rate == 0 ? 0 : Math.max(0, Math.round((total - processed) / rate)));
    document.put("startedAt", startedAt.toString());
    document.put("finishedAt", finishedAt == null ? null : finishedAt.toString());
    document.put("parity", parity == null ? null : parity.toDocument());
    document.put("error", error);
    return document;
  }
}
