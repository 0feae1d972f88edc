package io.ledgerline.command.transfer;

import io.ledgerline.command.account.AccountDirectory;
import io.ledgerline.command.deadletter.DeadLetters;
import io.ledgerline.command.idempotency.IdempotentCommandSender;
import io.ledgerline.command.personaldata.PersonalDataVault;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.command.transfer.TransferStatusTable.TransferView;
import io.ledgerline.events.Money;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.Problems;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Transfers over HTTP: {@code /api/v1/transfers}. */
@Tag(
    name = "Transfers",
    description =
        "Move money between two accounts of one currency. A transfer is a process: debit the"
            + " source, credit the destination, complete; when the credit cannot happen the debit"
            + " is reversed and the transfer fails with a reason.")
@RestController
@RequestMapping(path = "/api/v1/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
class TransferController {

  record TransferRequest(
      @Schema(
              description = "The account to debit",
              example = "0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f")
          @NotBlank
          @Size(max = 255)
          String fromAccountId,
      @Schema(
              description = "The account to credit",
              example = "6c1f0d7e-8b1a-4e0b-a6f2-5d3c9e7b1a20")
          @NotBlank
          @Size(max = 255)
          String toAccountId,
      @Schema(description = "Minor units of both accounts' currency", example = "500")
          @NotNull
          @Positive
          @Max(Money.MAX_AMOUNT_MINOR)
          Long amount,
      @Schema(description = "The caller's note, kept with the events", example = "rent")
          @Size(max = 256)
          String reference) {}

  record TransferAccepted(
      @Schema(example = "9a3e4c1b-7f2d-4b8e-8c6a-1d5f0e2b3c4d") String transferId,
      @Schema(description = "Always REQUESTED: the process has only begun", example = "REQUESTED")
          String status) {}

  /** A transfer refused before it started. */
  static final class TransferRejected extends RuntimeException {
    private final HttpStatus status;
    private final String kind;

    TransferRejected(HttpStatus status, String kind, String message) {
      super(message, null, false, false);
      this.status = status;
      this.kind = kind;
    }
  }

  /** Why a stuck transfer waits, as its customers see it: the cause itself is for operators. */
  static final String HELD_FOR_OPERATOR =
      "held for an operator: its next step could not be processed";

  private final IdempotentCommandSender commands;
  private final AccountDirectory accounts;
  private final TransferStatusTable transfers;
  private final DeadLetters deadLetters;
  private final PersonalDataVault vault;
  private final TransferOutcomeWait outcomes;

  TransferController(
      IdempotentCommandSender commands,
      AccountDirectory accounts,
      TransferStatusTable transfers,
      DeadLetters deadLetters,
      PersonalDataVault vault,
      TransferOutcomeWait outcomes) {
    this.commands = commands;
    this.accounts = accounts;
    this.transfers = transfers;
    this.deadLetters = deadLetters;
    this.vault = vault;
    this.outcomes = outcomes;
  }

  @Operation(
      operationId = "requestTransfer",
      summary = "Request a transfer",
      description =
          "Starts a transfer between two accounts of one currency and answers at once; read its"
              + " outcome from `Location` (here) or the query API. A customer may transfer only"
              + " from its own accounts. Same-account and cross-currency transfers are rejected up"
              + " front.")
  @ApiProblems({
    "validation",
    "not-found",
    "same-account",
    "currency-mismatch",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TransferAccepted> request(
      @Valid @RequestBody TransferRequest body, HttpServletRequest request) {
    if (body.fromAccountId().equals(body.toAccountId())) {
      throw new TransferRejected(
          HttpStatus.UNPROCESSABLE_ENTITY, "same-account", "cannot transfer to the same account");
    }
    Caller caller = Caller.current();
    var source =
        accounts
            .find(body.fromAccountId())
            .orElseThrow(
                () ->
                    new TransferRejected(
                        HttpStatus.NOT_FOUND,
                        "not-found",
                        "no such account: " + body.fromAccountId()));
    caller.requireOwnerOrOperator(source.ownerId());
    accounts
        .find(body.toAccountId())
        .filter(destination -> !destination.currency().equals(source.currency()))
        .ifPresent(
            destination -> {
              throw new TransferRejected(
                  HttpStatus.UNPROCESSABLE_ENTITY,
                  "currency-mismatch",
                  "cannot transfer from "
                      + source.currency()
                      + " to an account in "
                      + destination.currency());
            });
    // The reference may name people: sealed under the key of the source account's owner.
    String transferId =
        commands.send(
            () ->
                new RequestTransfer(
                    UUID.randomUUID().toString(),
                    body.fromAccountId(),
                    body.toAccountId(),
                    body.amount(),
                    source.currency(),
                    vault.seal(source.ownerId(), PersonalFields.REFERENCE, body.reference())),
            request,
            body,
            String.class);
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/transfers/" + transferId))
        .body(new TransferAccepted(transferId, "REQUESTED"));
  }

  @Operation(
      operationId = "getTransferStatus",
      summary = "Where a transfer stands",
      description =
          "The transfer as the command side knows it, at once (no projection lag): `REQUESTED`,"
              + " `COMPLETED` or `FAILED` with a `reason`; `stuck` with a `stuckReason` while one"
              + " of its steps is parked as a dead letter. The `reference` is null with"
              + " `referenceErased` once the paying owner's personal data was erased. A customer"
              + " sees transfers from or to its own accounts only. With `waitSeconds` the answer"
              + " comes as soon as the transfer is `COMPLETED` or `FAILED`, or after that many"
              + " seconds with where it stands: ask once instead of polling. A stuck transfer ends"
              + " the wait too. When too many requests wait already, the answer comes at once with"
              + " `Retry-After`: ask again then.")
  @ApiProblems({"validation", "not-found"})
  @GetMapping("/{transferId}")
  ResponseEntity<TransferView> status(
      @PathVariable String transferId,
      @Parameter(
              description =
                  "Wait up to this many seconds (0 to "
                      + TransferOutcomeWait.MAX_WAIT_SECONDS
                      + ") for the transfer to be decided",
              example = "5",
              schema =
                  @Schema(
                      type = "integer",
                      format = "int32",
                      minimum = "0",
                      maximum = "" + TransferOutcomeWait.MAX_WAIT_SECONDS))
          @RequestParam(name = TransferOutcomeWait.PARAMETER, required = false)
          Integer waitSeconds) {
    Duration wait = TransferOutcomeWait.requested(waitSeconds);
    Caller caller = Caller.current();
    TransferOutcomeWait.Outcome outcome;
    try (TransferSignals.Subscription decision = outcomes.subscribe(transferId, wait)) {
      TransferView transfer =
          transfers
              .find(transferId)
              .orElseThrow(
                  () ->
                      new TransferRejected(
                          HttpStatus.NOT_FOUND, "not-found", "no such transfer: " + transferId));
      if (!mayRead(caller, transfer)) {
        throw new ForbiddenException("this transfer is not between your accounts");
      }
      outcome =
          outcomes.untilDecided(
              withParkedStep(caller, transfer),
              wait,
              decision,
              id -> transfers.find(id).map(again -> withParkedStep(caller, again)));
    }
    TransferView answer = outcome.transfer();
    ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
    if (!outcome.waited()) {
      // Too many requests wait already: ask again in a second rather than at once.
      ok.header(HttpHeaders.RETRY_AFTER, "1");
    }
    return ok.body(answer.readable(vault.open(answer.reference(), PersonalFields.REFERENCE)));
  }

  /**
   * Marks a transfer stuck when the transfer process parked one of its events (its sequence is the
   * transfer id): one lookup on the dead-letter table's key.
   */
  private TransferView withParkedStep(Caller caller, TransferView transfer) {
    return deadLetters
        .parked(TransferProcess.PROCESSOR, transfer.transferId())
        .map(
            parked ->
                transfer.markedStuck(
                    caller.has(Caller.OPERATOR) || caller.has(Caller.AUDITOR)
                        ? parked.reason()
                        : HELD_FOR_OPERATOR))
        .orElse(transfer);
  }

  /** Customers see transfers from or to their own accounts; operators and auditors all. */
  private boolean mayRead(Caller caller, TransferView transfer) {
    if (caller.has(Caller.OPERATOR) || caller.has(Caller.AUDITOR)) {
      return true;
    }
    return java.util.stream.Stream.of(transfer.fromAccountId(), transfer.toAccountId())
        .map(accounts::find)
        .flatMap(java.util.Optional::stream)
        .anyMatch(account -> account.ownerId().equals(caller.subject()));
  }

  @ExceptionHandler(TransferRejected.class)
  ProblemDetail rejected(TransferRejected rejected) {
    return Problems.of(rejected.status, rejected.kind, "Transfer rejected", rejected.getMessage());
  }
}
