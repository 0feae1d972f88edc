package io.ledgerline.command.transfer;

import io.ledgerline.command.account.AccountDirectory;
import io.ledgerline.command.deadletter.DeadLetters;
import io.ledgerline.command.idempotency.IdempotentCommandSender;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.command.transfer.TransferStatusTable.TransferView;
import io.ledgerline.events.Money;
import io.ledgerline.platform.web.problem.Problems;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.util.UUID;
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
import org.springframework.web.bind.annotation.RestController;

/** Transfers over HTTP: {@code /api/v1/transfers}. */
@RestController
@RequestMapping(path = "/api/v1/transfers", produces = MediaType.APPLICATION_JSON_VALUE)
class TransferController {

  record TransferRequest(
      @NotBlank @Size(max = 255) String fromAccountId,
      @NotBlank @Size(max = 255) String toAccountId,
      @NotNull @Positive @Max(Money.MAX_AMOUNT_MINOR) Long amount,
      @Size(max = 256) String reference) {}

  record TransferAccepted(String transferId, String status) {}

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

  TransferController(
      IdempotentCommandSender commands,
      AccountDirectory accounts,
      TransferStatusTable transfers,
      DeadLetters deadLetters) {
    this.commands = commands;
    this.accounts = accounts;
    this.transfers = transfers;
    this.deadLetters = deadLetters;
  }

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
    String transferId =
        commands.send(
            new RequestTransfer(
                UUID.randomUUID().toString(),
                body.fromAccountId(),
                body.toAccountId(),
                body.amount(),
                source.currency(),
                body.reference()),
            request,
            body,
            String.class);
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/transfers/" + transferId))
        .body(new TransferAccepted(transferId, "REQUESTED"));
  }

  @GetMapping("/{transferId}")
  ResponseEntity<TransferView> status(@PathVariable String transferId) {
    Caller caller = Caller.current();
    return transfers
        .find(transferId)
        .map(
            transfer -> {
              if (!mayRead(caller, transfer)) {
                throw new ForbiddenException("this transfer is not between your accounts");
              }
              return ResponseEntity.ok(withParkedStep(caller, transfer));
            })
        .orElseThrow(
            () ->
                new TransferRejected(
                    HttpStatus.NOT_FOUND, "not-found", "no such transfer: " + transferId));
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
