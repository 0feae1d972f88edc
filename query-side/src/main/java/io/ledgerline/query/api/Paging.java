package io.ledgerline.query.api;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import java.io.IOException;
import java.util.List;

/** Page size checks, next-cursor building and cursor-safe searches for search_after pagination. */
public final class Paging {

  public static final int MAX_SIZE = 100;

  private Paging() {}

  public static int size(int size) {
    return size(size, MAX_SIZE);
  }

  /** The {@code size} parameter of a list whose hard maximum is {@code max}. */
  public static int size(int size, int max) {
    if (size < 1 || size > max) {
      throw new InvalidParameterException("size", "must be between 1 and " + max);
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
  public static <T> Page<T> page(
      SearchResponse<T> response, int size, Cursors cursors, CursorScope scope) {
    List<Hit<T>> hits = response.hits().hits();
    String next =
        hits.size() == size
            ? cursors.encode(scope, new SearchCursor(null, hits.get(hits.size() - 1).sort()))
            : null;
    return new Page<>(hits.stream().map(Hit::source).toList(), next);
  }

  /** A search request that may fail with an I/O error. */
  @FunctionalInterface
  public interface Search<T> {
    SearchResponse<T> run() throws IOException;
  }

  /**
   * Runs a search that continues after {@code after} (null for a first page). Should Elasticsearch
   * still refuse the cursor's position, that is the client's 4xx, never a 500 nor an empty page: an
   * unknown point in time has expired, refused sort values are not a cursor of this search.
   */
  public static <T> SearchResponse<T> continuing(SearchCursor after, Search<T> search)
      throws IOException {
    try {
      return search.run();
    } catch (ElasticsearchException e) {
      if (after != null && after.pointInTime() != null && e.status() == 404) {
        throw new CursorExpiredException();
      }
      if (after != null && e.status() == 400) {
        throw new InvalidParameterException(
            "cursor", "cannot be continued from; start again without a cursor");
      }
      throw e;
    }
  }
}
