package io.ledgerline.query.transaction;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.ledgerline.query.account.AccountOwners;
import io.ledgerline.query.api.Page;
import io.ledgerline.query.api.Paging;
import io.ledgerline.query.api.SearchCursor;
import io.ledgerline.query.api.TimeRange;
import io.ledgerline.query.security.Caller;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An account's movements: {@code /api/v1/accounts/{id}/transactions}. */
@RestController
class TransactionQueryController {

  private final ElasticsearchClient elasticsearch;
  private final AccountOwners owners;

  TransactionQueryController(ElasticsearchClient elasticsearch, AccountOwners owners) {
    this.elasticsearch = elasticsearch;
    this.owners = owners;
  }

  /**
   * Movements in a time range ({@code from} inclusive, {@code to} exclusive), newest first by
   * default. Paging follows the account's sequence numbers, which never change, so pages are
   * complete and free of duplicates while new movements arrive.
   */
  @GetMapping(
      path = "/api/v1/accounts/{accountId}/transactions",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Page<TransactionDocument> transactions(
      @PathVariable String accountId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "desc") String order,
      @RequestParam(defaultValue = "50") int size,
      @RequestParam(required = false) String cursor)
      throws IOException {
    int pageSize = Paging.size(size);
    owners.requireMayRead(Caller.current(), accountId);
    SortOrder sortOrder = Paging.order(order);
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("accountId").value(accountId))));
    TimeRange.parse(from, to).filter("timestamp").ifPresent(filters::add);
    SearchCursor after = cursor == null ? null : SearchCursor.decode(cursor);
    var response =
        elasticsearch.search(
            s -> {
              s.index(TransactionProjector.INDEX.alias())
                  .size(pageSize)
                  .query(q -> q.bool(b -> b.filter(filters)))
                  .sort(o -> o.field(f -> f.field("sequence").order(sortOrder)))
                  .trackTotalHits(t -> t.enabled(false));
              if (after != null) {
                s.searchAfter(after.after());
              }
              return s;
            },
            TransactionDocument.class);
    return Paging.page(response, pageSize);
  }
}
