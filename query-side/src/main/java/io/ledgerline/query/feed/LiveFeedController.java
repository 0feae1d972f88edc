package io.ledgerline.query.feed;

import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.eventstore.TimeWindow;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.projection.LedgerEventRecord;
import io.ledgerline.query.transaction.TransactionView;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
 * The live feed of ledger movements as server-sent events ({@code GET /api/v1/feed}), read from the
 * event store in its global order up to the settled position (as the audit feed is: a late commit
 * is never skipped). Each event's id is the movement's global position; a client that reconnects
 * with {@code Last-Event-ID} continues exactly where it stopped, on any instance. Without one, the
 * feed starts at the present ({@code from=start} replays everything). It depends on no read model,
 * so a rebuild of the transactions index changes nothing for it.
 */
@Tag(
    name = "Live feed",
    description = "Ledger movements as they are committed, as server-sent events.")
@RestController
class LiveFeedController implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(LiveFeedController.class);
  private static final long POLL_MILLIS = 250;
  private static final int BATCH = 500;
  private static final long TIMEOUT_MILLIS = 30 * 60 * 1000L;
  private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final EventStoreReader store;
  private final PersonalData personalData;
  private final ScheduledExecutorService pollers = Executors.newScheduledThreadPool(2);
  private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  LiveFeedController(EventStoreReader store, PersonalData personalData) {
    this.store = store;
    this.personalData = personalData;
  }

  @Operation(
      operationId = "streamFeed",
      summary = "Follow movements live",
      description =
          "Server-sent events, one `movement` event per ledger movement (a transaction of the"
              + " list of an account's movements), in the event store's global order, as soon as"
              + " no earlier event can still commit. Each event's id is the movement's"
              + " `globalPosition`: reconnecting with `Last-Event-ID` resumes exactly after it, on"
              + " any instance. Without one the feed starts at the present; `from=start` replays"
              + " every movement. A reference whose owner's personal data was erased is null, with"
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
                          id: 41
                          event: movement
                          data: {"transactionId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f:1",\
                          "accountId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f","type":"DEPOSIT",\
                          "amount":1250,"signedAmount":1250,"currency":"EUR",\
                          "balanceAfter":1250,"transferId":null,"counterpartyAccountId":null,\
                          "reference":"salary","referenceErased":false,\
                          "timestamp":"2026-01-15T09:30:00Z","sequence":1,"globalPosition":41}

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
      throw new InvalidParameterException("from", "must be now or start");
    }
    FeedCursor start =
        lastEventId != null
            ? FeedCursor.parse(lastEventId)
            : from.equals("start") ? FeedCursor.START : new FeedCursor(store.settledPosition());
    SseEmitter emitter = new SseEmitter(TIMEOUT_MILLIS);
    // Sends the response headers now, so clients see the stream open before the first movement.
    emitter.send(SseEmitter.event().comment("ledgerline live feed"));
    FeedStream stream = new FeedStream(emitter, start);
    open.add(emitter);
    emitter.onCompletion(
        () -> {
          stream.stop();
          open.remove(emitter);
        });
    emitter.onTimeout(stream::stop);
    emitter.onError(error -> stream.stop());
    stream.task =
        pollers.scheduleWithFixedDelay(stream::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    return emitter;
  }

  /** One client's stream: where it is, and the poll that moves it on. */
  private final class FeedStream {

    private final SseEmitter emitter;
    private FeedCursor cursor;
    private long lastSentNanos = System.nanoTime();
    private boolean failing;
    private volatile ScheduledFuture<?> task;

    FeedStream(SseEmitter emitter, FeedCursor start) {
      this.emitter = emitter;
      this.cursor = start;
    }

    /**
     * Sends the movements settled since the cursor. A failure to read the store or to open a
     * reference (PostgreSQL down, the pool busy) leaves the cursor where it is: the next poll tries
     * again, and nothing is skipped. Runs on one poller thread at a time.
     */
    void poll() {
      List<StoredEvent> page;
      try {
        page = store.settledPage(cursor.position(), TimeWindow.ALL, BATCH);
        for (StoredEvent row : page) {
          Optional<TransactionView> movement = movement(row);
          FeedCursor after = cursor.advance(row.globalPosition());
          if (movement.isPresent()
              && !send(
                  SseEmitter.event()
                      .id(after.encode())
                      .name("movement")
                      .data(movement.get(), MediaType.APPLICATION_JSON))) {
            return;
          }
          cursor = after;
        }
      } catch (RuntimeException e) {
        if (!failing) {
          // Once per outage, with its cause: a failure that never clears (a bug, not an outage)
          // holds this stream here, so its trace must be in the log.
          log.warn("Live feed cannot read on after position {}", cursor.position(), e);
        }
        failing = true;
        return;
      }
      if (failing) {
        log.info("Live feed reads again after position {}", cursor.position());
        failing = false;
      }
      if (System.nanoTime() - lastSentNanos > KEEP_ALIVE_NANOS) {
        // A comment now and then: a client that went away is noticed and its poll ended.
        send(SseEmitter.event().comment("keep-alive"));
      }
    }

    /** Sends one event; false (and the stream stopped) when the client is gone. */
    private boolean send(SseEmitter.SseEventBuilder event) {
      try {
        emitter.send(event);
        lastSentNanos = System.nanoTime();
        return true;
      } catch (IOException | IllegalStateException disconnected) {
        stop();
        return false;
      }
    }

    void stop() {
      ScheduledFuture<?> running = task;
      if (running != null) {
        running.cancel(false);
      }
    }
  }

  /**
   * The movement a stored event records, if it records one, as the account's list of movements
   * shows it: its reference opened under its owner's key, or null and {@code referenceErased} once
   * the owner was erased. Only the five movement types are decoded. A movement this build cannot
   * decode (a revision newer than it, during a rolling deploy) is left out with a log line, as any
   * reader of the event contract ignores what it does not know; the audit API still shows it.
   */
  private Optional<TransactionView> movement(StoredEvent row) {
    if (!TransactionView.recordsAMovement(row.typeName())) {
      return Optional.empty();
    }
    LedgerEventRecord event;
    try {
      event = LedgerEventRecord.fromStore(row);
    } catch (IllegalStateException | UncheckedIOException undecodable) {
      log.warn(
          "Live feed leaves out the event at position {} it cannot decode: {}",
          row.globalPosition(),
          undecodable.toString());
      return Optional.empty();
    }
    return TransactionView.of(event, personalData);
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
