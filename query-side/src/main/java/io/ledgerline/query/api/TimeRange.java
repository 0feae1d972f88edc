package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.json.JsonData;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** An optional {@code from}/{@code to} pair of ISO-8601 instants, validated. */
public record TimeRange(Instant from, Instant to) {

  /** Parses the parameters; either may be null. */
  public static TimeRange parse(String from, String to) {
    TimeRange range = new TimeRange(instant("from", from), instant("to", to));
    if (range.from != null && range.to != null && range.from.isAfter(range.to)) {
      throw new InvalidParameterException("from", "must not be after to");
    }
    return range;
  }

  private static Instant instant(String name, String value) {
    if (value == null) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidParameterException(
          name, "must be an ISO-8601 instant such as 2026-01-31T00:00:00Z");
    }
  }

  /** A range filter on {@code field}, or nothing when the range is open on both ends. */
  public Optional<Query> filter(String field) {
    if (from == null && to == null) {
      return Optional.empty();
    }
    return Optional.of(
        Query.of(
            q ->
                q.range(
                    r ->
                        r.untyped(
                            u -> {
                              u.field(field);
                              if (from != null) {
                                u.gte(JsonData.of(from.toString()));
                              }
                              if (to != null) {
                                u.lt(JsonData.of(to.toString()));
                              }
                              return u;
                            }))));
  }
}
