package io.ledgerline.query.transfer;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.SortOrder;
import co.elastic.clients.elasticsearch._types.query_dsl.Query;
import io.ledgerline.eventstore.personaldata.PersonalData;
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

/** Reads the transfers read model: {@code /api/v1/transfers}. */
@Tag(
    name = "Transfers",
    description = "Transfers as the transfers read model holds them: one, or a search.")
@RestController
@RequestMapping(path = "/api/v1/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
class TransferQueryController {

  private static final Set<String> STATUSES = Set.of("REQUESTED", "COMPLETED", "FAILED");

  private final ElasticsearchClient elasticsearch;
  private final AccountOwners owners;
  private final ReadYourWrites readYourWrites;
  private final Cursors cursors;
  private final PersonalData personalData;

  TransferQueryController(
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
   * One transfer. With {@code minVersion} (a version of the transfer: the sequence number of its
   * last event) it waits a bounded time until the read model has reached it, as for accounts.
   */
  @Operation(
      operationId = "getTransfer",
      summary = "Read a transfer",
      description =
          "One transfer: `REQUESTED`, `COMPLETED` or `FAILED` with a `reason`. With `minVersion`"
              + " (a version of the transfer) it reads the caller's own write. The `reference` is"
              + " null with `referenceErased` once the paying owner's personal data was erased. A"
              + " customer reads only transfers from or to its own accounts.")
  @ApiResponse(
      responseCode = "200",
      description = "The transfer, at `minVersion` or later when one was given",
      headers = @Header(name = "ETag", ref = "#/components/headers/ETag"))
  @ApiProblems({"validation", "not-found", "projection-behind"})
  @GetMapping("/{transferId}")
  ResponseEntity<TransferView> transfer(
      @PathVariable String transferId, @RequestParam(required = false) Long minVersion)
      throws IOException, InterruptedException {
    TransferDocument transfer =
        readYourWrites.await(
            "transfer " + transferId,
            minVersion,
            () -> find(transferId),
            TransferDocument::version);
    if (transfer == null) {
      throw new NotFoundException("no such transfer: " + transferId);
    }
    Caller caller = Caller.current();
    if (!caller.readsAnyAccount()
        && !owners.ownerOf(transfer.fromAccountId()).map(caller.subject()::equals).orElse(false)
        && !owners.ownerOf(transfer.toAccountId()).map(caller.subject()::equals).orElse(false)) {
      throw new ForbiddenException("this transfer is not between your accounts");
    }
    return ResponseEntity.ok()
        .eTag("\"" + transfer.version() + "\"")
        .body(TransferView.of(transfer, personalData));
  }

  private TransferDocument find(String transferId) throws IOException {
    var response =
        elasticsearch.get(
            g -> g.index(TransferProjector.INDEX.alias()).id(transferId).realtime(true),
            TransferDocument.class);
    return response.found() ? response.source() : null;
  }

  /** Transfers by status and/or account (either side), newest first. */
  @Operation(
      operationId = "searchTransfers",
      summary = "Search transfers",
      description =
          "Transfers by status and account (either side), newest first, a page at a time. A"
              + " customer must name one of its own accounts.")
  @ApiProblems({"validation", "cursor-expired"})
  @GetMapping
  Page<TransferView> search(
      @Parameter(
              description = "Only transfers in this status",
              schema = @Schema(allowableValues = {"REQUESTED", "COMPLETED", "FAILED"}))
          @RequestParam(required = false)
          String status,
      @Parameter(description = "Only transfers from or to this account; required of customers")
          @RequestParam(required = false)
          String accountId,
      @RequestParam(defaultValue = "20") int size,
      @RequestParam(required = false) String cursor)
      throws IOException {
    int pageSize = Paging.size(size);
    Caller caller = Caller.current();
    if (!caller.readsAnyAccount()) {
      if (accountId == null) {
        throw new InvalidParameterException(
            "accountId", "is required: you see your accounts' transfers");
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
      filters.add(
          Query.of(
              q ->
                  q.bool(
                      b ->
                          b.should(s -> s.term(t -> t.field("fromAccountId").value(accountId)))
                              .should(s -> s.term(t -> t.field("toAccountId").value(accountId)))
                              .minimumShouldMatch("1"))));
    }
    // The sort is fixed; a cursor continues only the filters it was issued for.
    CursorScope scope = CursorScope.of("transfers", status, accountId);
    SearchCursor after = cursor == null ? null : cursors.decode(scope, cursor);
    var response =
        Paging.continuing(
            after,
            () ->
                elasticsearch.search(
                    s -> {
                      s.index(TransferProjector.INDEX.alias())
                          .size(pageSize)
                          .query(q -> q.bool(b -> b.filter(filters)))
                          .sort(o -> o.field(f -> f.field("requestedAt").order(SortOrder.Desc)))
                          .sort(o -> o.field(f -> f.field("transferId").order(SortOrder.Asc)))
                          .trackTotalHits(t -> t.enabled(false));
                      if (after != null) {
                        s.searchAfter(after.after());
                      }
                      return s;
                    },
                    TransferDocument.class));
    Page<TransferDocument> stored = Paging.page(response, pageSize, cursors, scope);
    return new Page<>(
        stored.items().stream().map(transfer -> TransferView.of(transfer, personalData)).toList(),
        stored.nextCursor());
  }
}
