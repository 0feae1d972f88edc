package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.FieldValue;
import java.util.List;

/**
 * Where a search left off: the sort values of the last item returned (for {@code search_after})
 * and, where used, the point-in-time id that keeps pages consistent. Clients only ever see it
 * signed by {@link Cursors}, so these values are ours, never a client's.
 *
 * @param pointInTime the point-in-time id, or null
 * @param after the sort values to continue after
 */
public record SearchCursor(String pointInTime, List<FieldValue> after) {

  public SearchCursor {
    after = List.copyOf(after);
  }
}
