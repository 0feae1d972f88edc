package io.ledgerline.query.reconciliation;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Every document of a read model in ascending order of its id field, one page at a time (search
 * after the last id, which never changes), so memory holds one page however large the index is.
 */
final class IndexWalk implements Iterator<SortedMerge.Document> {

  private final ElasticsearchClient elasticsearch;
  private final String kind;
  private final String index;
  private final String idField;
  private final int pageSize;
  private final Differences differences;
  private List<SortedMerge.Document> page = List.of();
  private int next;
  private List<FieldValue> after;
  private boolean last;

  IndexWalk(
      ElasticsearchClient elasticsearch,
      String kind,
      String index,
      String idField,
      int pageSize,
      Differences differences) {
    this.elasticsearch = elasticsearch;
    this.kind = kind;
    this.index = index;
    this.idField = idField;
    this.pageSize = pageSize;
    this.differences = differences;
  }

  @Override
  public boolean hasNext() {
    // A page can yield nothing (every document on it was reported): read on until one does.
    while (next == page.size() && !last) {
      try {
        fetch();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return next < page.size();
  }

  @Override
  public SortedMerge.Document next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.get(next++);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void fetch() throws IOException {
    List<FieldValue> searchAfter = after;
    var response =
        elasticsearch.search(
            s -> {
              s.index(index)
                  .size(pageSize)
                  .query(q -> q.exists(e -> e.field(idField)))
                  .sort(o -> o.field(f -> f.field(idField).order(SortOrder.Asc)))
                  .trackTotalHits(t -> t.enabled(false));
              if (searchAfter != null) {
                s.searchAfter(searchAfter);
              }
              return s;
            },
            Map.class);
    var hits = response.hits().hits();
    List<SortedMerge.Document> documents = new ArrayList<>(hits.size());
    for (var hit : hits) {
      String id = hit.sort().get(0).stringValue();
      if (!id.equals(hit.id())) {
        // Lookups go by document id, the walk by the id field: the two must agree.
        differences.add(kind + " " + hit.id() + ": " + idField + " is " + id);
        continue;
      }
      documents.add(new SortedMerge.Document(id, (Map<String, Object>) hit.source()));
    }
    page = documents;
    next = 0;
    last = hits.size() < pageSize;
    if (!hits.isEmpty()) {
      after = hits.get(hits.size() - 1).sort();
    }
  }
}
