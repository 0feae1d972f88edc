package io.ledgerline.query.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.eventstore.TimeWindow;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.api.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The auditors' view of the event store, {@code /api/v1/audit}: read-only, straight from
 * PostgreSQL, never from a read model.
 */
@Tag(
    name = "Audit",
    description =
        "The event store itself, read-only and never through a read model: events with payload,"
            + " metadata and hash, past states, and the tamper-evidence check.")
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {

  @Schema(name = "AuditEvents")
  record Events(
      @ArraySchema(schema = @Schema(implementation = AuditedEvent.class)) List<JsonNode> items,
      @Schema(description = "Pass as `after` for the next page; null on the last page")
          String nextCursor) {}

  /** The shape of the stored events {@link AuditedEventWriter} writes, for the API description. */
  record AuditedEvent(
      @Schema(description = "Its position in the global order", example = "41") long globalPosition,
      @Schema(example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f") String aggregateId,
      @Schema(description = "Its sequence number in the aggregate", example = "1") long sequence,
      @Schema(example = "FundsDeposited") String type,
      @Schema(description = "When it was stored", example = "2026-01-15T09:30:00Z")
          String timestamp,
      @Schema(
              description =
                  "The payload, exactly as stored (the tamper evidence covers it): personal fields"
                      + " are sealed text")
          Map<String, Object> payload,
      @Schema(
              description =
                  "For an event with personal fields only: each of them opened under its owner's"
                      + " key, and `<field>Erased`, true once the owner's personal data was erased"
                      + " (the field is then null for good). An owner's `name` and `email` are"
                      + " never shown here, only whether they are erased: the owner and admins"
                      + " read them on the command side (`GET /api/v1/owners/{ownerId}`)",
              example = "{\"reference\":\"salary\",\"referenceErased\":false}")
          Map<String, Object> personalData,
      @Schema(description = "The metadata, exactly as stored: subject, correlation id and more")
          Map<String, Object> metadata,
      @Schema(
              description = "Its link in the aggregate's hash chain: SHA-256, in hex",
              example = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
          String hash) {}

  record VerifyRequest(
      @Schema(
              description = "One account or transfer to check; the whole store when absent",
              example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f")
          String aggregateId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 1_000;

  private final EventStoreReader store;
  private final IntegrityVerifier verifier;
  private final HistoricalState history;
  private final AuditedEventWriter writer;

  AuditController(
      EventStoreReader store,
      IntegrityVerifier verifier,
      HistoricalState history,
      PersonalData personalData) {
    this.store = store;
    this.verifier = verifier;
    this.history = history;
    this.writer = new AuditedEventWriter(personalData);
  }

  /**
   * The events of one aggregate, in order, with payload and metadata: a page of at most {@code
   * limit} after sequence number {@code after}; {@code nextCursor} is the sequence to go on after.
   */
  @Operation(
      operationId = "listAggregateEvents",
      summary = "An aggregate's events",
      description =
          "Every event of one account, transfer or owner (`owner:<ownerId>`) in sequence order,"
              + " with payload, metadata, timestamp, global position and hash, a page at a time."
              + " Personal fields are sealed in the payload, as stored, and opened (or erased)"
              + " in `personalData`.")
  @ApiProblems({"validation", "not-found"})
  @GetMapping("/aggregates/{aggregateId}/events")
  Events aggregate(
      @PathVariable String aggregateId,
      @Parameter(description = "Events after this sequence number (-1: from the first)")
          @RequestParam(defaultValue = "-1")
          long after,
      @Parameter(description = "Events per page, 1 to 1000") @RequestParam(defaultValue = "1000")
          int limit)
      throws IOException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (after < -1) {
      throw new InvalidParameterException("after", "must be a sequence number (0 or more)");
    }
    List<StoredEvent> page = store.aggregatePage(aggregateId, after, limit);
    if (page.isEmpty() && after < 0) {
      throw new NotFoundException("no events for " + aggregateId);
    }
    String next = page.size() == limit ? Long.toString(page.get(page.size() - 1).sequence()) : null;
    return new Events(items(page), next);
  }

  /**
   * The global feed in position order. Only events at or below the settled position (below every
   * position a transaction in flight can still commit) are returned, so paging with {@code after}
   * never skips an event that commits late.
   */
  @Operation(
      operationId = "listEvents",
      summary = "The global feed of events",
      description =
          "Every event in global position order, up to the settled position: below it no"
              + " transaction still in flight can commit an event, so paging with `after` never"
              + " skips an event that commits late.")
  @ApiProblems("validation")
  @GetMapping("/events")
  Events events(
      @Parameter(description = "Events after this global position")
          @RequestParam(defaultValue = "0")
          long after,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @Parameter(description = "Events per page, 1 to 1000") @RequestParam(defaultValue = "100")
          int limit)
      throws IOException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (after < 0) {
      throw new InvalidParameterException("after", "must be a position (0 or more)");
    }
    List<StoredEvent> page = store.settledPage(after, window(from, to), limit);
    String next =
        page.size() == limit ? Long.toString(page.get(page.size() - 1).globalPosition()) : null;
    return new Events(items(page), next);
  }

  /** The same feed as NDJSON, streamed in constant memory, one event a line. */
  @Operation(
      operationId = "exportEvents",
      summary = "Export the events",
      description =
          "The global feed as NDJSON, one event a line, streamed through a database cursor in"
              + " constant memory, up to the settled position.")
  @ApiResponse(
      responseCode = "200",
      description = "One stored event per line, each an `AuditedEvent`",
      content =
          @Content(
              mediaType = "application/x-ndjson",
              schema = @Schema(implementation = AuditedEvent.class),
              examples =
                  @ExampleObject(
                      name = "event",
                      summary = "One event",
                      value =
                          """
                          {"globalPosition":41,"aggregateId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f",\
                          "sequence":1,"type":"FundsDeposited","timestamp":"2026-01-15T09:30:00Z",\
                          "payload":{"accountId":"0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f",\
                          "amountMinor":1250},"metadata":{"subject":"alice"},\
                          "hash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
                          """)))
  @ApiProblems("validation")
  @GetMapping(path = "/export", produces = "application/x-ndjson")
  ResponseEntity<StreamingResponseBody> export(
      @Parameter(description = "Events after this global position")
          @RequestParam(defaultValue = "0")
          long after,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    if (after < 0) {
      throw new InvalidParameterException("after", "must be a position (0 or more)");
    }
    TimeWindow window = window(from, to);
    StreamingResponseBody body =
        out -> {
          try (JsonGenerator lines = JSON.getFactory().createGenerator(out)) {
            // One event a line: a newline after each, not Jackson's space between root values.
            lines.setRootValueSeparator(null);
            store.streamSettled(
                after,
                window,
                event -> {
                  writer.write(lines, event);
                  lines.writeRaw('\n');
                  return true;
                });
          } catch (RuntimeException e) {
            throw new IOException(e);
          }
        };
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType("application/x-ndjson"))
        .body(body);
  }

  /** An account as it was at a moment ({@code at}) or after a version. */
  @Operation(
      operationId = "getAccountState",
      summary = "An account as it was",
      description =
          "The account folded from its events up to a moment (`at`) or a version (`version`),"
              + " exactly one of them: its balance, status, version and the time it was so"
              + " (`asOf`).")
  @ApiResponse(
      responseCode = "200",
      description =
          "The account then: accountId, ownerId, currency, overdraftLimit, status, openedAt,"
              + " balance, version, asOf")
  @ApiProblems({"validation", "not-found"})
  @GetMapping("/accounts/{accountId}/state")
  Map<String, Object> account(
      @PathVariable String accountId,
      @Parameter(description = "The moment, an ISO-8601 instant") @RequestParam(required = false)
          String at,
      @Parameter(description = "The version (sequence number)") @RequestParam(required = false)
          Long version)
      throws Exception {
    return history.account(accountId, HistoricalState.Point.of(at, version));
  }

  /** A transfer as it was at a moment ({@code at}) or after a version. */
  @Operation(
      operationId = "getTransferState",
      summary = "A transfer as it was",
      description =
          "The transfer folded from its events up to a moment (`at`) or a version (`version`),"
              + " exactly one of them.")
  @ApiResponse(
      responseCode = "200",
      description =
          "The transfer then: transferId, fromAccountId, toAccountId, amount, currency, status,"
              + " version, asOf, and reason and failureCode when it failed")
  @ApiProblems({"validation", "not-found"})
  @GetMapping("/transfers/{transferId}/state")
  Map<String, Object> transfer(
      @PathVariable String transferId,
      @Parameter(description = "The moment, an ISO-8601 instant") @RequestParam(required = false)
          String at,
      @Parameter(description = "The version (sequence number)") @RequestParam(required = false)
          Long version)
      throws Exception {
    return history.transfer(transferId, HistoricalState.Point.of(at, version));
  }

  /** Checks the hash chains (of one aggregate, or all) and the signed checkpoints. */
  @Operation(
      operationId = "verifyIntegrity",
      summary = "Check the tamper evidence",
      description =
          "Recomputes the hash chain of one aggregate, or of every aggregate and then the signed"
              + " checkpoints over the global order, and reports the first broken link.")
  @ApiProblems("not-found")
  @PostMapping(path = "/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
  IntegrityVerifier.Report verify(@RequestBody(required = false) VerifyRequest request)
      throws Exception {
    return verifier.verify(request == null ? null : request.aggregateId());
  }

  private static TimeWindow window(String from, String to) {
    TimeRange range = TimeRange.parse(from, to);
    return new TimeWindow(range.from(), range.to());
  }

  private List<JsonNode> items(List<StoredEvent> events) throws IOException {
    List<JsonNode> items = new ArrayList<>(events.size());
    for (StoredEvent event : events) {
      items.add(event(event));
    }
    return items;
  }

  private JsonNode event(StoredEvent stored) throws IOException {
    TokenBuffer buffer = new TokenBuffer(JSON, false);
    writer.write(buffer, stored);
    try (var parser = buffer.asParser()) {
      return JSON.readTree(parser);
    }
  }
}
