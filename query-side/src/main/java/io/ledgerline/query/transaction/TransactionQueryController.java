package io.ledgerline.query.transaction;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.search.Hit;
import io.ledgerline.eventstore.personaldata.PersonalData;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.query.account.AccountOwners;
import io.ledgerline.query.api.CursorScope;
import io.ledgerline.query.api.Cursors;
import io.ledgerline.query.api.Page;
import io.ledgerline.query.api.Paging;
import io.ledgerline.query.api.ReadYourWrites;
import io.ledgerline.query.api.SearchCursor;
import io.ledgerline.query.api.TimeRange;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** An account's movements: {@code /api/v1/accounts/{id}/transactions}. */
@Tag(
    name = "Transactions",
    description =
        "An account's movements: deposits, withdrawals, transfer debits and credits, reversals.")
@RestController
class TransactionQueryController {

  private final ElasticsearchClient elasticsearch;
  private final AccountOwners owners;
  private final ReadYourWrites readYourWrites;
  private final Cursors cursors;
  private final PersonalData personalData;

  TransactionQueryController(
      ElasticsearchClient elasticsearch,
      AccountOwners owners,
      ReadYourWrites readYourWrites,
      Cursors cursors,
      PersonalData personalData) {
    this.elasticsearch = elasticsearch;
    this.owners = owners;
    this.readYourWrites = readYourWrites;
    this.cursors = cursors;
    this.personalData = personalData;
  }

  /**
   * Movements in a time range ({@code from} inclusive, {@code to} exclusive), newest first by
   * default. Paging follows the account's sequence numbers, which never change, so pages are
   * complete and free of duplicates while new movements arrive. With {@code minVersion} (the
   * version a deposit, withdrawal or transfer step returned) it first waits a bounded time until
   * that movement, or a later one, of the account is searchable, so the list shows a client's own
   * write.
   */
  @Operation(
      operationId = "listTransactions",
      summary = "List an account's movements",
      description =
          "The account's movements in a time window, newest first by default, a page at a time."
              + " Pages follow the account's sequence numbers, so they are complete and free of"
              + " duplicates while new movements arrive. With `minVersion` the list shows the"
              + " movement of that version (or a later one). A reference whose owner's personal"
              + " data was erased is null, with `referenceErased`. A customer lists only its own"
              + " accounts' movements.")
  @ApiProblems({"validation", "cursor-expired", "projection-behind"})
  @GetMapping(
      path = "/api/v1/accounts/{accountId}/transactions",
      produces = MediaType.APPLICATION_JSON_VALUE)
  Page<TransactionView> transactions(
      @PathVariable String accountId,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(defaultValue = "desc") String order,
      @RequestParam(defaultValue = "50") int size,
      @RequestParam(required = false) String cursor,
      @RequestParam(required = false) Long minVersion)
      throws IOException, InterruptedException {
    int pageSize = Paging.size(size);
    owners.requireMayRead(Caller.current(), accountId);
    SortOrder sortOrder = Paging.order(order);
    List<Query> filters = new ArrayList<>();
    filters.add(Query.of(q -> q.term(t -> t.field("accountId").value(accountId))));
    TimeRange range = TimeRange.parse(from, to);
    range.filter("timestamp").ifPresent(filters::add);
    CursorScope scope = CursorScope.of("transactions", accountId, range.from(), range.to(), order);
    SearchCursor after = cursor == null ? null : cursors.decode(scope, cursor);
    readYourWrites.await(
        "transactions of account " + accountId,
        minVersion,
        () -> lastSearchableSequence(accountId),
        Long::longValue);
    var response =
        Paging.continuing(
            after,
            () ->
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
                    TransactionDocument.class));
    Page<TransactionDocument> stored = Paging.page(response, pageSize, cursors, scope);
    return new Page<>(
        stored.items().stream()
            .map(movement -> TransactionView.of(movement, personalData))
            .toList(),
        stored.nextCursor());
  }

  /**
   * The sequence number of the account's latest movement that searches see, or null. A search, not
   * a real-time get: the page that follows is a search too, so what this sees, the page shows.
   */
  private Long lastSearchableSequence(String accountId) throws IOException {
    var response =
        elasticsearch.search(
            s ->
                s.index(TransactionProjector.INDEX.alias())
                    .size(1)
                    .query(q -> q.term(t -> t.field("accountId").value(accountId)))
                    .sort(o -> o.field(f -> f.field("sequence").order(SortOrder.Desc)))
                    .trackTotalHits(t -> t.enabled(false)),
            TransactionDocument.class);
    List<Hit<TransactionDocument>> hits = response.hits().hits();
    return hits.isEmpty() ? null : hits.get(0).source().sequence();
  }
}
