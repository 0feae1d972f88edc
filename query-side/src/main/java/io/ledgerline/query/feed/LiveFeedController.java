package io.ledgerline.query.feed;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.aggregations.Aggregation;
import co.elastic.clients.elasticsearch._types.aggregations.LongTermsBucket;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The live feed of ledger movements as server-sent events ({@code GET /api/v1/feed}). Each event's
 * id is the feed position after it; a client that reconnects with {@code Last-Event-ID} continues
 * exactly where it stopped. Without one, the feed starts at the present ({@code from=start} replays
 * everything).
 */
@Tag(
    name = "Live feed",
    description = "Ledger movements as they are projected, as server-sent events.")
@RestController
class LiveFeedController implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveFeedController.class);
  private static final String TRANSACTIONS = "transactions";
  private static final long POLL_MILLIS = 250;
  private static final int BATCH = 500;
  private static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;

  private final ElasticsearchClient elasticsearch;
  private final PersonalData personalData;
  private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2);
  private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  LiveFeedController(ElasticsearchClient elasticsearch, PersonalData personalData) {
    this.elasticsearch = elasticsearch;
    this.personalData = personalData;
  }

  @Operation(
      operationId = "streamFeed",
      summary = "Follow movements live",
      description =
          "Server-sent events, one `movement` event per ledger movement (a transaction of the"
              + " list of an account's movements), in order per Kafka partition. Each event's id"
              + " is the feed position after it: reconnecting with `Last-Event-ID` resumes exactly"
              + " there. Without one the feed starts at the present; `from=start` replays every"
              + " movement. A reference whose owner's personal data was erased is null, with"
              + " `referenceErased`. A stream lasts at most 30 minutes.")
  @ApiResponse(
      responseCode = "200",
      description = "The stream of movements",
      content =
          @Content(
              mediaType = MediaType.TEXT_EVENT_STREAM_VALUE,
              schema = @Schema(type = "string"),
              examples =
                  @ExampleObject(
                      name = "movement",
                      summary = "One movement",
                      value =
                          """
                          id: 0:17,1:4,3:22
                          event: movement
                          data: {"transactionId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f:1",\
                          "accountId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f","type":"DEPOSIT",\
                          "amount":1250,"signedAmount":1250,"currency":"EUR",\
                          "balanceAfter":1250,"reference":"salary","referenceErased":false,\
                          "timestamp":"2026-01-15T09:30:00Z","sequence":1,"partition":3,\
                          "offset":22}

                          """)))
  @ApiProblems("validation")
  @GetMapping(path = "/api/v1/feed", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter feed(
      @Parameter(description = "The id of the last event received, to resume after it")
          @RequestHeader(name = "Last-Event-ID", required = false)
          String lastEventId,
      @Parameter(
              description = "Where to start without `Last-Event-ID`",
              schema =
                  @Schema(
                      allowableValues = {"now", "start"},
                      defaultValue = "now"))
          @RequestParam(defaultValue = "now")
          String from)
      throws IOException {
    if (!from.equals("now") && !from.equals("start")) {
      throw new io.ledgerline.platform.web.problem.InvalidParameterException(
          "from", "must be now or start");
    }
    FeedCursor start =
        lastEventId != null
            ? FeedCursor.parse(lastEventId)
            : from.equals("start") ? new FeedCursor(Map.of()) : present();
    SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
    // Sends the response headers now, so clients see the stream open before the first movement.
    emitter.send(SseEmitter.event().comment("ledgerline live feed"));
    AtomicReference<FeedCursor> cursor = new AtomicReference<>(start);
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable stop =
        () -> {
          ScheduledFuture<?> running = task.get();
          if (running != null) {
            running.cancel(false);
          }
        };
    open.add(emitter);
    emitter.onCompletion(
        () -> {
          stop.run();
          open.remove(emitter);
        });
    emitter.onTimeout(stop);
    emitter.onError(error -> stop.run());
    task.set(
        pollers.scheduleWithFixedDelay(
            () -> {
              try {
                for (Map<String, Object> movement : next(cursor.get())) {
                  int partition = ((Number) movement.get("partition")).intValue();
                  long offset = ((Number) movement.get("offset")).longValue();
                  FeedCursor after = cursor.get().advance(partition, offset);
                  emitter.send(
                      SseEmitter.event()
                          .id(after.encode())
                          .name("movement")
                          .data(readable(movement)));
                  cursor.set(after);
                }
              } catch (IOException | IllegalStateException disconnected) {
                stop.run();
              } catch (RuntimeException e) {
                log.warn("Live feed poll failed: {}", e.getMessage());
              }
            },
            0,
            POLL_MILLIS,
            TimeUnit.MILLISECONDS));
    return emitter;
  }

  /**
   * A movement as streamed: its reference opened under its owner's key, or null and {@code
   * referenceErased} once the owner was erased. The index keeps the sealed reference only.
   */
  private Map<String, Object> readable(Map<String, Object> movement) {
    PersonalData.Opened reference =
        personalData.open(
            movement.get("reference") instanceof String stored ? stored : null,
            PersonalFields.REFERENCE);
    Map<String, Object> shown = new LinkedHashMap<>(movement);
    shown.put("reference", reference.value());
    shown.put("referenceErased", reference.erased());
    return shown;
  }

  /** The movements after the cursor, per partition in offset order. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> next(FeedCursor cursor) throws IOException {
    List<Query> branches = new ArrayList<>();
    for (var entry : cursor.offsets().entrySet()) {
      branches.add(
          Query.of(
              q ->
                  q.bool(
                      b ->
                          b.filter(f -> f.term(t -> t.field("partition").value(entry.getKey())))
                              .filter(
                                  f ->
                                      f.range(
                                          r ->
                                              r.untyped(
                                                  u ->
                                                      u.field("offset")
                                                          .gt(JsonData.of(entry.getValue()))))))));
    }
    List<Long> known = cursor.offsets().keySet().stream().map(Integer::longValue).toList();
    branches.add(
        Query.of(
            q ->
                q.bool(
                    b ->
                        b.mustNot(
                            m ->
                                m.terms(
                                    t ->
                                        t.field("partition")
                                            .terms(
                                                v ->
                                                    v.value(
                                                        known.stream()
                                                            .map(
                                                                co.elastic.clients.elasticsearch
                                                                        ._types.FieldValue
                                                                    ::of)
                                                            .toList())))))));
    var response =
        elasticsearch.search(
            s ->
                s.index(TRANSACTIONS)
                    .size(BATCH)
                    .query(q -> q.bool(b -> b.should(branches).minimumShouldMatch("1")))
                    .sort(o -> o.field(f -> f.field("partition").order(SortOrder.Asc)))
                    .sort(o -> o.field(f -> f.field("offset").order(SortOrder.Asc))),
            Map.class);
    List<Map<String, Object>> movements = new ArrayList<>();
    response.hits().hits().forEach(hit -> movements.add((Map<String, Object>) hit.source()));
    return movements;
  }

  /** The present: the highest offset of every partition seen so far. */
  private FeedCursor present() throws IOException {
    var response =
        elasticsearch.search(
            s ->
                s.index(TRANSACTIONS)
                    .size(0)
                    .aggregations(
                        "partition",
                        a ->
                            a.terms(t -> t.field("partition").size(1024))
                                .aggregations(
                                    "offset", Aggregation.of(m -> m.max(x -> x.field("offset"))))),
            Void.class);
    Map<Integer, Long> offsets = new HashMap<>();
    for (LongTermsBucket bucket :
        response.aggregations().get("partition").lterms().buckets().array()) {
      offsets.put((int) bucket.key(), (long) bucket.aggregations().get("offset").max().value());
    }
    return new FeedCursor(offsets);
  }

  @Override
  public void start() {
    running = true;
  }

  /** Ends open streams first, so a graceful shutdown is not held up by connected dashboards. */
  @Override
  public void stop() {
    running = false;
    open.forEach(SseEmitter::complete);
    pollers.shutdownNow();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
