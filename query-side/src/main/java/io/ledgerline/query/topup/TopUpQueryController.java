package io.ledgerline.query.topup;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidParameterException;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import io.ledgerline.query.account.AccountOwners;
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

/** Reads the top-ups read model: {@code /api/v1/topups}. */
@Tag(
    name = "Top-ups",
    description = "Card top-ups as the top-ups read model holds them: one, or an account's.")
@RestController
@RequestMapping(path = "/api/v1/topups", produces = MediaType.APPLICATION_JSON_VALUE)
class TopUpQueryController {

  private static final Set<String> STATUSES =
      Set.of("REQUESTED", "AWAITING_PAYMENT", "SUCCEEDED", "FAILED");

  private final ElasticsearchClient elasticsearch;
  private final AccountOwners owners;
  private final ReadYourWrites readYourWrites;
  private final Cursors cursors;

  TopUpQueryController(
      ElasticsearchClient elasticsearch,
      AccountOwners owners,
      ReadYourWrites readYourWrites,
      Cursors cursors) {
    this.elasticsearch = elasticsearch;
    this.owners = owners;
    this.readYourWrites = readYourWrites;
    this.cursors = cursors;
  }

  @Operation(
      operationId = "getTopUp",
      summary = "Read a top-up",
      description =
          "One card top-up: `REQUESTED`, `AWAITING_PAYMENT`, `SUCCEEDED` or `FAILED` with a"
              + " `failureCode`. With `minVersion` (a version of the top-up: the sequence number"
              + " of its last event) it waits, bounded, until the read model has reached it. A"
              + " customer reads only top-ups of its own accounts.")
  @ApiResponse(
      responseCode = "200",
      description = "The top-up, at `minVersion` or later when one was given",
      headers = @Header(name = "ETag", ref = "#/components/headers/ETag"))
  @ApiProblems({"validation", "not-found", "projection-behind"})
  @GetMapping("/{topUpId}")
  ResponseEntity<TopUpDocument> topUp(
      @PathVariable String topUpId, @RequestParam(required = false) Long minVersion)
      throws IOException, InterruptedException {
    TopUpDocument topUp =
        readYourWrites.await(
            "top-up " + topUpId, minVersion, () -> find(topUpId), TopUpDocument::version);
    if (topUp == null) {
      throw new NotFoundException("no such top-up: " + topUpId);
    }
    Caller caller = Caller.current();
    if (!caller.readsAnyAccount()
        && !owners.ownerOf(topUp.accountId()).map(caller.subject()::equals).orElse(false)) {
      throw new ForbiddenException("this top-up is not for one of your accounts");
    }
    return ResponseEntity.ok().eTag("\"" + topUp.version() + "\"").body(topUp);
  }

  private TopUpDocument find(String topUpId) throws IOException {
    var response =
        elasticsearch.get(
            g -> g.index(TopUpProjector.INDEX.alias()).id(topUpId).realtime(true),
            TopUpDocument.class);
    return response.found() ? response.source() : null;
  }

  @Operation(
      operationId = "searchTopUps",
      summary = "Search top-ups",
      description =
          "Card top-ups by account and status, newest first, a page at a time. A customer must"
              + " name one of its own accounts.")
  @ApiProblems({"validation", "cursor-expired"})
  @GetMapping
  Page<TopUpDocument> search(
      @Parameter(description = "Only top-ups of this account; required of customers")
          @RequestParam(required = false)
          String accountId,
      @Parameter(
              description = "Only top-ups in this status",
              schema =
                  @Schema(
                      allowableValues = {"REQUESTED", "AWAITING_PAYMENT", "SUCCEEDED", "FAILED"}))
          @RequestParam(required = false)
          String status,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String cursor)
      throws IOException {
    int pageSize = Paging.size(size);
    Caller caller = Caller.current();
    if (!caller.readsAnyAccount()) {
      if (accountId == null) {
        throw new InvalidParameterException(
            "accountId", "is required: you see your accounts' top-ups");
      }
      owners.requireMayRead(caller, accountId);
    }
    List<Query> filters = new ArrayList<>();
    if (status != null) {
      if (!STATUSES.contains(status)) {
        throw new InvalidParameterException("status", "must be one of " + STATUSES);
      }
      filters.add(Query.of(q -> q.term(t -> t.field("status").value(status))));
    }
    if (accountId != null) {
      filters.add(Query.of(q -> q.term(t -> t.field("accountId").value(accountId))));
    }
    // The sort is on fields a top-up never changes; a cursor continues only its own filters.
    CursorScope scope = CursorScope.of("topups", accountId, status);
    SearchCursor after = cursor == null ? null : cursors.decode(scope, cursor);
    var response =
        Paging.continuing(
            after,
            () ->
                elasticsearch.search(
                    s -> {
                      s.index(TopUpProjector.INDEX.alias())
                          .size(pageSize)
                          .query(q -> q.bool(b -> b.filter(filters)))
                          .sort(o -> o.field(f -> f.field("requestedAt").order(SortOrder.Desc)))
                          .sort(o -> o.field(f -> f.field("topUpId").order(SortOrder.Asc)))
                          .trackTotalHits(t -> t.enabled(false));
                      if (after != null) {
                        s.searchAfter(after.after());
                      }
                      return s;
                    },
                    TopUpDocument.class));
    return Paging.page(response, pageSize, cursors, scope);
  }
}
