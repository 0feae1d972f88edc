package io.ledgerline.query.account;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.FieldValue;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import co.elastic.clients.elasticsearch.core.search.Hit;
import co.elastic.clients.json.JsonData;
import io.ledgerline.events.Money;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.query.api.CursorScope;
import io.ledgerline.query.api.Cursors;
import io.ledgerline.query.api.NotFoundException;
import io.ledgerline.query.api.Page;
import io.ledgerline.query.api.Paging;
import io.ledgerline.query.api.ReadYourWrites;
import io.ledgerline.query.api.SearchCursor;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Reads the accounts read model: {@code /api/v1/accounts}. */
@Tag(
    name = "Accounts",
    description =
        "Accounts as the accounts read model holds them: one account, read-your-writes, or a"
            + " search.")
@RestController
@RequestMapping(path = "/api/v1/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountQueryController {

  private static final Set<String> STATUSES = Set.of("OPEN", "FROZEN", "CLOSED");
  private static final Set<String> SORT_FIELDS = Set.of("balance", "openedAt", "updatedAt");
  private static final String PIT_KEEP_ALIVE = "2m";

  private final ElasticsearchClient elasticsearch;
  private final ReadYourWrites readYourWrites;
  private final Cursors cursors;

  AccountQueryController(
      ElasticsearchClient elasticsearch, ReadYourWrites readYourWrites, Cursors cursors) {
    this.elasticsearch = elasticsearch;
    this.readYourWrites = readYourWrites;
    this.cursors = cursors;
  }

  /**
   * One account. With {@code minVersion} (the version from the command side's ETag) it waits a
   * bounded time until the read model has reached that version, so a client reads its own write.
   */
  @Operation(
      operationId = "getAccount",
      summary = "Read an account",
      description =
          "One account, with its balance, status and version. With `minVersion` it reads the"
              + " caller's own write. A customer reads only its own accounts.")
  @ApiResponse(
      responseCode = "200",
      description = "The account, at `minVersion` or later when one was given",
      headers = @Header(name = "ETag", ref = "#/components/headers/ETag"))
  @ApiProblems({"validation", "not-found", "projection-behind"})
  @GetMapping("/{accountId}")
  ResponseEntity<AccountDocument> account(
      @PathVariable String accountId, @RequestParam(required = false) Long minVersion)
      throws IOException, InterruptedException {
    AccountDocument account =
        readYourWrites.await(
            "account " + accountId, minVersion, () -> find(accountId), AccountDocument::version);
    if (account == null) {
      throw new NotFoundException("no such account: " + accountId);
    }
    Caller.current().requireMayRead(account.ownerId());
    return ResponseEntity.ok().eTag("\"" + account.version() + "\"").body(account);
  }

  private AccountDocument find(String accountId) throws IOException {
    var response =
        elasticsearch.get(
            request -> request.index(AccountProjector.INDEX.alias()).id(accountId).realtime(true),
            AccountDocument.class);
    return response.found() ? response.source() : null;
  }

  /**
   * Searches accounts. Pages come from one point in time, so paging through stays complete and free
   * of duplicates while writes continue.
   */
  @Operation(
      operationId = "searchAccounts",
      summary = "Search accounts",
      description =
          "Accounts by owner, status, currency and balance, sorted, a page at a time. A customer"
              + " searches only its own accounts.")
  @ApiProblems({"validation", "cursor-expired"})
  @GetMapping
  Page<AccountDocument> search(
      @Parameter(description = "Only this owner's accounts", example = "alice")
          @RequestParam(required = false)
          String ownerId,
      @Parameter(
              description = "Only accounts in this status",
              schema = @Schema(allowableValues = {"OPEN", "FROZEN", "CLOSED"}))
          @RequestParam(required = false)
          String status,
      @Parameter(description = "Only accounts in this currency (ISO 4217)", example = "EUR")
          @RequestParam(required = false)
          String currency,
      @Parameter(description = "Only balances of at least this many minor units")
          @RequestParam(required = false)
          Long minBalance,
      @Parameter(description = "Only balances of at most this many minor units")
          @RequestParam(required = false)
          Long maxBalance,
      @Parameter(
              description = "The field to sort by (then by account id)",
              schema =
                  @Schema(
                      allowableValues = {"balance", "openedAt", "updatedAt"},
                      defaultValue = "openedAt"))
          @RequestParam(defaultValue = "openedAt")
          String sort,
      @RequestParam(defaultValue = "asc") String order,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String cursor)
      throws IOException {
    Paging.size(size);
    Caller caller = Caller.current();
    if (!caller.readsAnyAccount()) {
      // A customer searches only their own accounts.
      caller.requireMayRead(ownerId == null ? caller.subject() : ownerId);
      ownerId = caller.subject();
    }
    String owner = ownerId;
    if (!SORT_FIELDS.contains(sort)) {
      throw new InvalidParameterException("sort", "must be one of " + SORT_FIELDS);
    }
    SortOrder sortOrder = Paging.order(order);
    List<Query> filters = new ArrayList<>();
    if (owner != null) {
      if (owner.isEmpty() || owner.length() > 255) {
        throw new InvalidParameterException("ownerId", "must be 1 to 255 characters");
      }
      filters.add(Query.of(q -> q.term(t -> t.field("ownerId").value(owner))));
    }
    if (status != null) {
      if (!STATUSES.contains(status)) {
        throw new InvalidParameterException("status", "must be one of " + STATUSES);
      }
      filters.add(Query.of(q -> q.term(t -> t.field("status").value(status))));
    }
    if (currency != null) {
      if (!Money.isIsoCurrency(currency)) {
        throw new InvalidParameterException("currency", "must be an ISO 4217 code");
      }
      filters.add(Query.of(q -> q.term(t -> t.field("currency").value(currency))));
    }
    if (minBalance != null || maxBalance != null) {
      filters.add(
          Query.of(
              q ->
                  q.range(
                      r ->
                          r.untyped(
                              u -> {
                                u.field("balance");
                                if (minBalance != null) {
                                  u.gte(JsonData.of(minBalance));
                                }
                                if (maxBalance != null) {
                                  u.lte(JsonData.of(maxBalance));
                                }
                                return u;
                              }))));
    }
    // A cursor continues only the query it was issued for: same owner, filters and sort.
    CursorScope scope =
        CursorScope.of("accounts", owner, status, currency, minBalance, maxBalance, sort, order);
    SearchCursor after = cursor == null ? null : cursors.decode(scope, cursor);
    if (after != null && after.pointInTime() == null) {
      throw new InvalidParameterException("cursor", "is not a cursor of this list");
    }
    String pit =
        after != null
            ? after.pointInTime()
            : elasticsearch
                .openPointInTime(
                    p ->
                        p.index(AccountProjector.INDEX.alias())
                            .keepAlive(k -> k.time(PIT_KEEP_ALIVE)))
                .id();
    SearchResponse<AccountDocument> response =
        Paging.continuing(
            after,
            () ->
                elasticsearch.search(
                    s -> {
                      s.pit(p -> p.id(pit).keepAlive(k -> k.time(PIT_KEEP_ALIVE)))
                          .size(size)
                          .query(q -> q.bool(b -> b.filter(filters)))
                          .sort(o -> o.field(f -> f.field(sort).order(sortOrder)))
                          .sort(o -> o.field(f -> f.field("accountId").order(SortOrder.Asc)))
                          .trackTotalHits(t -> t.enabled(false));
                      if (after != null) {
                        s.searchAfter(after.after());
                      }
                      return s;
                    },
                    AccountDocument.class));
    List<Hit<AccountDocument>> hits = response.hits().hits();
    List<AccountDocument> items = hits.stream().map(Hit::source).toList();
    String next = null;
    String nextPit = response.pitId() != null ? response.pitId() : pit;
    if (hits.size() == size) {
      List<FieldValue> sortValues = hits.get(hits.size() - 1).sort();
      next = cursors.encode(scope, new SearchCursor(nextPit, sortValues));
    } else {
      elasticsearch.closePointInTime(c -> c.id(nextPit));
    }
    return new Page<>(items, next);
  }
}
