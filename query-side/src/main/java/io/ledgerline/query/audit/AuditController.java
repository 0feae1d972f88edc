package io.ledgerline.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.StoredEvent;
import io.ledgerline.eventstore.TimeWindow;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.api.TimeRange;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
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
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {

  record Events(List<JsonNode> items, String nextCursor) {}

  record VerifyRequest(String aggregateId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 1_000;

  private final EventStoreReader store;
  private final IntegrityVerifier verifier;
  private final HistoricalState history;

  AuditController(EventStoreReader store, IntegrityVerifier verifier, HistoricalState history) {
    this.store = store;
    this.verifier = verifier;
    this.history = history;
  }

  /**
   * The events of one aggregate, in order, with payload and metadata: a page of at most {@code
   * limit} after sequence number {@code after}; {@code nextCursor} is the sequence to go on after.
   */
  @GetMapping("/aggregates/{aggregateId}/events")
  Events aggregate(
      @PathVariable String aggregateId,
      @RequestParam(defaultValue = "-1") long after,
      @RequestParam(defaultValue = "1000") int limit)
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
  @GetMapping("/events")
  Events events(
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "100") int limit)
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
  @GetMapping(path = "/export", produces = "application/x-ndjson")
  ResponseEntity<StreamingResponseBody> export(
      @RequestParam(defaultValue = "0") long after,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to) {
    if (after < 0) {
      throw new InvalidParameterException("after", "must be a position (0 or more)");
    }
    TimeWindow window = window(from, to);
    StreamingResponseBody body =
        out -> {
          try {
            store.streamSettled(
                after,
                window,
                event -> {
                  writeLine(out, event);
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
  @GetMapping("/accounts/{accountId}/state")
  Map<String, Object> account(
      @PathVariable String accountId,
      @RequestParam(required = false) String at,
      @RequestParam(required = false) Long version)
      throws Exception {
    return history.account(accountId, HistoricalState.Point.of(at, version));
  }

  /** A transfer as it was at a moment ({@code at}) or after a version. */
  @GetMapping("/transfers/{transferId}/state")
  Map<String, Object> transfer(
      @PathVariable String transferId,
      @RequestParam(required = false) String at,
      @RequestParam(required = false) Long version)
      throws Exception {
    return history.transfer(transferId, HistoricalState.Point.of(at, version));
  }

  /** Checks the hash chains (of one aggregate, or all) and the signed checkpoints. */
  @PostMapping(path = "/verify", consumes = MediaType.APPLICATION_JSON_VALUE)
  IntegrityVerifier.Report verify(@RequestBody(required = false) VerifyRequest request)
      throws Exception {
    return verifier.verify(request == null ? null : request.aggregateId());
  }

  private static TimeWindow window(String from, String to) {
    TimeRange range = TimeRange.parse(from, to);
    return new TimeWindow(range.from(), range.to());
  }

  private static List<JsonNode> items(List<StoredEvent> events) throws IOException {
    List<JsonNode> items = new ArrayList<>(events.size());
    for (StoredEvent event : events) {
      items.add(event(event));
    }
    return items;
  }

  /** A stored event as the auditors see it: the payload and metadata exactly as stored. */
  static ObjectNode event(StoredEvent stored) throws IOException {
    ObjectNode event = JSON.createObjectNode();
    event.put("globalPosition", stored.globalPosition());
    event.put("aggregateId", stored.aggregateId());
    event.put("sequence", stored.sequence());
    event.put("type", stored.typeName());
    event.put("timestamp", stored.timestamp());
    event.set("payload", JSON.readTree(stored.payload()));
    byte[] metadata = stored.metadata();
    event.set("metadata", metadata == null ? JSON.createObjectNode() : JSON.readTree(metadata));
    event.put("hash", HexFormat.of().formatHex(stored.hash()));
    return event;
  }

  private static void writeLine(OutputStream out, StoredEvent event) throws IOException {
    out.write(JSON.writeValueAsBytes(event(event)));
    out.write('\n');
  }
}
