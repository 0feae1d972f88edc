package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import java.util.List;

/** Page size checks and next-cursor building for search_after pagination. */
public final class Paging {

  public static final int MAX_SIZE = 100;

  private Paging() {}

  public static int size(int size) {
    if (size < 1 || size > MAX_SIZE) {
      throw new InvalidParameterException("size", "must be between 1 and " + MAX_SIZE);
    }
    return size;
  }

  /** The {@code order} parameter: asc or desc. */
  public static co.elastic.clients.elasticsearch._types.SortOrder order(String order) {
    return switch (order) {
      case "asc" -> co.elastic.clients.elasticsearch._types.SortOrder.Asc;
      case "desc" -> co.elastic.clients.elasticsearch._types.SortOrder.Desc;
      default -> throw new InvalidParameterException("order", "must be asc or desc");
    };
  }

  /** The page of a search sorted on immutable fields: no point in time needed. */
  public static <T> Page<T> page(SearchResponse<T> response, int size) {
    List<Hit<T>> hits = response.hits().hits();
    String next =
        hits.size() == size
            ? new SearchCursor(null, hits.get(hits.size() - 1).sort()).encode()
            : null;
    return new Page<>(hits.stream().map(Hit::source).toList(), next);
  }
}
