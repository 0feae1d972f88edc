package io.ledgerline.query.rebuild;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.indices.TranslogDurability;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.TimeWindow;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.projection.Projector;
import io.ledgerline.query.projection.Rebuildable;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Rebuilds a read model from the event store into a new index while the old one keeps serving:
 *
 * <ol>
 *   <li>replay every stored event, in commit order, into a new index version, then keep reading the
 *       store until nothing new is left (only settled rows: a late commit is never skipped);
 *   <li>check parity: document count, balance (or status) sums and versions of the new index
 *       against a fold of the event store up to the replayed position;
 *   <li>switch the alias atomically, then keep tailing the store briefly so events the live
 *       projectors wrote to the old index meanwhile reach the new one too.
 * </ol>
 *
 * The old index stays until an admin deletes it. Progress is kept in Elasticsearch, so every
 * instance can report it.
 */
@Component
class Rebuilds {

  private static final Logger log = LoggerFactory.getLogger(Rebuilds.class);
  private static final ObjectMapper DEFINITIONS = new ObjectMapper();
  static final String PROGRESS_INDEX = "ledgerline-rebuilds";
  private static final int BATCH = 1_000;
  private static final long TAIL_AFTER_SWITCH_MILLIS = 5_000;
  private static final DateTimeFormatter SUFFIX =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final ElasticsearchClient elasticsearch;
  private final EventStoreReader store;
  private final Map<String, Rebuildable> projections = new LinkedHashMap<>();
  private final Map<String, String> running = new ConcurrentHashMap<>();

  Rebuilds(ElasticsearchClient elasticsearch, EventStoreReader store, List<Projector> projectors) {
    this.elasticsearch = elasticsearch;
    this.store = store;
    for (Projector projector : projectors) {
      if (projector instanceof Rebuildable rebuildable) {
        projections.put(projector.name(), rebuildable);
      }
    }
  }

  /** Starts a rebuild of {@code projection}; returns its id. */
  String start(String projection) throws Exception {
    Rebuildable projector = projections.get(projection);
    if (projector == null) {
      throw new InvalidParameterException("projection", "must be one of " + projections.keySet());
    }
    String id = UUID.randomUUID().toString();
    if (running.putIfAbsent(projection, id) != null) {
      throw new InvalidParameterException("projection", "is already being rebuilt");
    }
    Progress progress = new Progress(id, projection);
    save(progress);
    Thread worker =
        new Thread(
            () -> {
              try {
                run(projector, progress);
              } catch (Exception e) {
                log.error("Rebuild {} of {} failed", id, projection, e);
                progress.fail(e.getMessage());
                saveQuietly(progress);
              } finally {
                running.remove(projection);
              }
            },
            "rebuild-" + projection);
    worker.setDaemon(true);
    worker.start();
    return id;
  }

  Map<String, Object> progress(String id) throws Exception {
    try {
      var response = elasticsearch.get(g -> g.index(PROGRESS_INDEX).id(id), Map.class);
      if (!response.found()) {
        throw new NotFoundException("no such rebuild: " + id);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> source = response.source();
      return source;
    } catch (ElasticsearchException e) {
      if (e.status() == 404) {
        throw new NotFoundException("no such rebuild: " + id);
      }
      throw e;
    }
  }

  /** Deletes the index a finished rebuild replaced; the rollback option ends with it. */
  Map<String, Object> deletePreviousIndex(String id) throws Exception {
    Map<String, Object> progress = progress(id);
    if (!"SWITCHED".equals(progress.get("phase"))) {
      throw new InvalidParameterException("rebuild", "has not switched; nothing to delete");
    }
    String previous = (String) progress.get("previousIndex");
    String alias = (String) progress.get("projection");
    boolean serving =
        elasticsearch.indices().getAlias(a -> a.name(alias)).result().containsKey(previous);
    if (serving) {
      throw new InvalidParameterException(
          "rebuild", "previous index is serving again; not deleted");
    }
    elasticsearch.indices().delete(d -> d.index(previous));
    progress.put("previousIndexDeleted", true);
    elasticsearch.index(
        i ->
            i.index(PROGRESS_INDEX)
                .id(id)
                .document(progress)
                .refresh(co.elastic.clients.elasticsearch._types.Refresh.True));
    return progress;
  }

  private void run(Rebuildable projector, Progress progress) throws Exception {
    String alias = projector.index().alias();
    String previous =
        elasticsearch.indices().getAlias(a -> a.name(alias)).result().keySet().iterator().next();
    String target = alias + "-" + SUFFIX.format(Instant.now()).toLowerCase();
    try (InputStream definition =
        getClass().getResourceAsStream(projector.index().definitionResource())) {
      elasticsearch.indices().create(c -> c.index(target).withJson(definition));
    }
    fillingSettings(target);
    progress.indices(previous, target, store.countEvents());
    save(progress);

    long position = 0;
    while (true) {
      long next = replay(projector, target, position, progress);
      if (next == position) {
        break;
      }
      position = next;
      save(progress);
    }

    progress.phase("CHECKING");
    save(progress);
    servingSettings(target, projector);
    elasticsearch.indices().refresh(r -> r.index(target));
    Parity parity = Parity.check(elasticsearch, store, alias, target, position);
    progress.parity(parity);
    if (!parity.passed()) {
      progress.fail("parity check failed; the alias still points to " + previous);
      save(progress);
      return;
    }

    // Atomic: readers and writers see the old index or the new one, never neither.
    elasticsearch
        .indices()
        .updateAliases(
            u ->
                u.actions(a -> a.remove(r -> r.index(previous).alias(alias)))
                    .actions(a -> a.add(r -> r.index(target).alias(alias).isWriteIndex(true))));
    progress.phase("SWITCHED");
    save(progress);
    long tailUntil = System.currentTimeMillis() + TAIL_AFTER_SWITCH_MILLIS;
    while (System.currentTimeMillis() < tailUntil) {
      position = replay(projector, target, position, progress);
      Thread.sleep(200);
    }
    progress.finish();
    save(progress);
  }

  /**
   * Replays settled events after {@code position} into {@code target}; returns the new position.
   * Reading and decoding the next batch overlaps writing the one before it. The writes stay one at
   * a time and in order unless the projection says its batches are independent ({@link
   * Rebuildable#concurrentWrites}), so a projection that folds each batch into what the previous
   * one stored sees exactly what a sequential replay would.
   */
  private long replay(Rebuildable projector, String target, long position, Progress progress)
      throws Exception {
    AtomicReference<List<LedgerEventRecord>> batch = new AtomicReference<>(new ArrayList<>());
    long[] last = {position};
    try (BatchWrites writes = new BatchWrites(projector.concurrentWrites())) {
      store.streamSettled(
          position,
          TimeWindow.ALL,
          row -> {
            last[0] = row.globalPosition();
            LedgerEventRecord event = LedgerEventRecord.fromStore(row);
            // Counts events read: at most a few batches ahead of what is written.
            progress.processed(1);
            if (!projector.handles(event.event())) {
              return true;
            }
            batch.get().add(event);
            if (batch.get().size() == BATCH) {
              List<LedgerEventRecord> full = batch.getAndSet(new ArrayList<>());
              writes.submit(() -> write(projector, target, full));
              saveIfDue(progress);
            }
            return true;
          });
      writes.finish();
    }
    write(projector, target, batch.get());
    return last[0];
  }

  private static Void write(Rebuildable projector, String target, List<LedgerEventRecord> batch)
      throws Exception {
    if (batch.isEmpty()) {
      return null;
    }
    var result = projector.writeTo(target, batch);
    if (result.failedAt() >= 0) {
      throw new IllegalStateException(
          "cannot replay: " + result.failure().getMessage(), result.failure());
    }
    return null;
  }

  /**
   * Runs writes on threads of their own, at most {@code inFlight} at a time, each started after the
   * oldest one still running when the limit is reached has ended; a failed write fails the next
   * call.
   */
  private static final class BatchWrites implements AutoCloseable {

    private final int limit;
    private final ExecutorService writers;
    private final Deque<Future<Void>> running = new ArrayDeque<>();

    BatchWrites(int inFlight) {
      if (inFlight < 1) {
        throw new IllegalArgumentException("at least one write must be in flight: " + inFlight);
      }
      this.limit = inFlight;
      this.writers =
          Executors.newFixedThreadPool(
              inFlight,
              task -> {
                Thread thread = new Thread(task, "rebuild-writer");
                thread.setDaemon(true);
                return thread;
              });
    }

    /** Waits until fewer than the limit are in flight, then starts this one. */
    void submit(Callable<Void> write) throws Exception {
      while (running.size() >= limit) {
        await(running.removeFirst());
      }
      running.addLast(writers.submit(write));
    }

    /** Waits for every write in flight; throws what the first failed one failed with. */
    void finish() throws Exception {
      while (!running.isEmpty()) {
        await(running.removeFirst());
      }
    }

    private static void await(Future<Void> write) throws Exception {
      try {
        write.get();
      } catch (ExecutionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }

    /**
     * After {@link #finish} nothing is left. When the replay fails before it, the writes still in
     * flight are waited for (each is bounded by the client's timeouts), so none goes on after the
     * rebuild was marked failed, and what they failed with is reported along with the first
     * failure.
     */
    @Override
    public void close() throws Exception {
      writers.shutdown();
      Exception failed = null;
      while (!running.isEmpty()) {
        try {
          await(running.removeFirst());
        } catch (Exception e) {
          if (failed == null) {
            failed = e;
          } else {
            failed.addSuppressed(e);
          }
        }
      }
      if (!writers.awaitTermination(1, TimeUnit.MINUTES)) {
        writers.shutdownNow();
      }
      if (failed != null) {
        throw failed;
      }
    }
  }

  private volatile long lastSaved;

  private void saveIfDue(Progress progress) {
    if (System.currentTimeMillis() - lastSaved > 1_000) {
      saveQuietly(progress);
    }
  }

  private void saveQuietly(Progress progress) {
    try {
      save(progress);
    } catch (Exception e) {
      log.warn("Cannot record rebuild progress: {}", e.getMessage());
    }
  }

  private void save(Progress progress) throws Exception {
    lastSaved = System.currentTimeMillis();
    Map<String, Object> document = progress.toDocument();
    elasticsearch.index(i -> i.index(PROGRESS_INDEX).id(progress.id()).document(document));
  }

  /**
   * While the new index fills nothing reads it, and a crash only fails the rebuild (the next one
   * fills an index of its own): no periodic refresh, and the translog synced in the background
   * rather than on every bulk request.
   */
  private void fillingSettings(String index) throws IOException {
    indexSettings(index, "-1", TranslogDurability.Async);
  }

  /**
   * Before the index may serve: refreshed as its definition says, every write synced again, and
   * everything written while it filled flushed to disk.
   */
  private void servingSettings(String index, Rebuildable projector) throws IOException {
    indexSettings(index, refreshIntervalOf(projector), TranslogDurability.Request);
    elasticsearch.indices().flush(f -> f.index(index));
  }

  private void indexSettings(String index, String refreshInterval, TranslogDurability durability)
      throws IOException {
    elasticsearch
        .indices()
        .putSettings(
            p ->
                p.index(index)
                    .settings(
                        t ->
                            t.refreshInterval(r -> r.time(refreshInterval))
                                .translog(x -> x.durability(durability))));
  }

  /** The refresh interval the index's definition gives it (Elasticsearch's 1 s when none). */
  private String refreshIntervalOf(Rebuildable projector) throws IOException {
    try (InputStream definition =
        getClass().getResourceAsStream(projector.index().definitionResource())) {
      JsonNode interval =
          DEFINITIONS.readTree(definition).path("settings").path("refresh_interval");
      return interval.isTextual() ? interval.asText() : "1s";
    }
  }

  Optional<String> runningFor(String projection) {
    return Optional.ofNullable(running.get(projection));
  }
}
