package io.ledgerline.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.api.TimeRange;
import java.io.OutputStream;
import java.sql.ResultSet;
import java.sql.Timestamp;
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
@RestController
@RequestMapping(path = "/api/v1/audit", produces = MediaType.APPLICATION_JSON_VALUE)
class AuditController {

  record Events(List<JsonNode> items, String nextCursor) {}

  record VerifyRequest(String aggregateId) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_LIMIT = 1_000;

  private final EventStoreRows rows;
  private final IntegrityVerifier verifier;
  private final HistoricalState history;

  AuditController(EventStoreRows rows, IntegrityVerifier verifier, HistoricalState history) {
    this.rows = rows;
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
      throws Exception {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (after < -1) {
      throw new InvalidParameterException("after", "must be a sequence number (0 or more)");
    }
    List<JsonNode> items = new ArrayList<>();
    long[] last = {after};
    rows.stream(
        "select "
            + EventStoreRows.COLUMNS
            + " from domain_event_entry where aggregate_identifier = ? and sequence_number > ?"
            + " order by sequence_number limit ?",
        new Object[] {aggregateId, after, limit},
        row -> {
          items.add(event(row));
          last[0] = row.getLong("sequence_number");
          return true;
        });
    if (items.isEmpty() && after < 0) {
      throw new NotFoundException("no events for " + aggregateId);
    }
    return new Events(items, items.size() == limit ? Long.toString(last[0]) : null);
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
      throws Exception {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidParameterException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    if (after < 0) {
      throw new InvalidParameterException("after", "must be a position (0 or more)");
    }
    TimeRange range = TimeRange.parse(from, to);
    List<JsonNode> items = new ArrayList<>();
    long[] last = {after};
    rows.stream(
        feedQuery(range, true),
        feedParameters(after, range, limit),
        row -> {
          items.add(event(row));
          last[0] = row.getLong("global_index");
          return true;
        });
    String next = items.size() == limit ? Long.toString(last[0]) : null;
    return new Events(items, next);
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
    TimeRange range = TimeRange.parse(from, to);
    StreamingResponseBody body =
        out -> {
          try {
            rows.stream(
                feedQuery(range, false),
                feedParameters(after, range, -1),
                row -> {
                  writeLine(out, row);
                  return true;
                });
          } catch (java.io.IOException e) {
            throw e;
          } catch (Exception e) {
            throw new java.io.IOException(e);
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

  private static String feedQuery(TimeRange range, boolean limited) {
    return "select "
        + EventStoreRows.COLUMNS
        + " from domain_event_entry where global_index > ? and "
        + EventStoreRows.SETTLED
        + (range.from() != null ? " and time_stamp::timestamptz >= ?" : "")
        + (range.to() != null ? " and time_stamp::timestamptz < ?" : "")
        + " order by global_index"
        + (limited ? " limit ?" : "");
  }

  private Object[] feedParameters(long after, TimeRange range, int limit) {
    List<Object> parameters = new ArrayList<>();
    parameters.add(after);
    parameters.add(rows.settledPosition());
    if (range.from() != null) {
      parameters.add(Timestamp.from(range.from()));
    }
    if (range.to() != null) {
      parameters.add(Timestamp.from(range.to()));
    }
    if (limit > 0) {
      parameters.add(limit);
    }
    return parameters.toArray();
  }

  static ObjectNode event(ResultSet row) throws Exception {
    ObjectNode event = JSON.createObjectNode();
    event.put("globalPosition", row.getLong("global_index"));
    event.put("aggregateId", row.getString("aggregate_identifier"));
    event.put("sequence", row.getLong("sequence_number"));
    String payloadType = row.getString("payload_type");
    event.put("type", payloadType.substring(payloadType.lastIndexOf('.') + 1));
    event.put("timestamp", row.getString("time_stamp"));
    event.set("payload", JSON.readTree(row.getBytes("payload")));
    byte[] metadata = row.getBytes("meta_data");
    event.set("metadata", metadata == null ? JSON.createObjectNode() : JSON.readTree(metadata));
    event.put("hash", java.util.HexFormat.of().formatHex(row.getBytes("hash")));
    return event;
  }

  private static void writeLine(OutputStream out, ResultSet row) throws Exception {
    out.write(JSON.writeValueAsBytes(event(row)));
    out.write('\n');
  }
}
