package io.ledgerline.command.topup;

import io.ledgerline.command.account.AccountDirectory;
import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.deadletter.DeadLetters;
import io.ledgerline.command.gateway.GatewayException;
import io.ledgerline.command.idempotency.IdempotentCommandSender;
import io.ledgerline.command.topup.TopUpCommands.RequestTopUp;
import io.ledgerline.command.topup.TopUpRequests.TopUpRequest;
import io.ledgerline.command.topup.TopUpRequests.TopUpStarted;
import io.ledgerline.command.topup.TopUpRequests.TopUpView;
import io.ledgerline.command.topup.TopUpStatusTable.Row;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.Problems;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Card top-ups over HTTP: {@code /api/v1/topups}. */
@Tag(
    name = "Top-ups",
    description =
        "Top up an account by card through the payment gateway. A top-up is a process: requested,"
            + " a payment intent created at the gateway, paid by the customer with its client"
            + " secret, then the gateway's signed webhook reports the outcome and a succeeded"
            + " top-up is deposited into the account exactly once.")
@RestController
@RequestMapping(path = "/api/v1/topups", produces = MediaType.APPLICATION_JSON_VALUE)
class TopUpController {

  /** A top-up refused before it started, or one that cannot be read. */
  static final class TopUpRejected extends RuntimeException {
    private final HttpStatus status;
    private final String kind;

    TopUpRejected(HttpStatus status, String kind, String message) {
      super(message, null, false, false);
      this.status = status;
      this.kind = kind;
    }
  }

  /** The gateway failed or refused while continuing a recorded top-up. */
  static final class TopUpPaymentFailed extends RuntimeException {
    private final String topUpId;
    private final GatewayException failure;

    TopUpPaymentFailed(String topUpId, GatewayException failure) {
      super(failure.getMessage(), failure, false, false);
      this.topUpId = topUpId;
      this.failure = failure;
    }
  }

  /** How long a client waits before retrying while the gateway is unavailable. */
  static final String RETRY_AFTER_SECONDS = "5";

  /** Why a stuck top-up waits, as its customer sees it: the cause itself is for operators. */
  static final String HELD_FOR_OPERATOR = "held for an operator: its deposit could not be made";

  private static final Logger log = LoggerFactory.getLogger(TopUpController.class);

  private final IdempotentCommandSender commands;
  private final RequestMetadata metadata;
  private final AccountDirectory accounts;
  private final TopUpStatusTable topUps;
  private final TopUpPayments payments;
  private final DeadLetters deadLetters;

  TopUpController(
      IdempotentCommandSender commands,
      RequestMetadata metadata,
      AccountDirectory accounts,
      TopUpStatusTable topUps,
      TopUpPayments payments,
      DeadLetters deadLetters) {
    this.commands = commands;
    this.metadata = metadata;
    this.accounts = accounts;
    this.topUps = topUps;
    this.payments = payments;
    this.deadLetters = deadLetters;
  }

  @Operation(
      operationId = "requestTopUp",
      summary = "Top up an account by card",
      description =
          "Records a top-up of `amount` minor units into one of the caller's accounts (a customer's"
              + " own; an operator's any, not closed), has the payment gateway create its payment"
              + " intent (with the top-up id as the gateway's idempotency key) and answers with the"
              + " intent's `clientSecret`, which the customer's browser confirms the payment with."
              + " The account is credited once the gateway's signed webhook reports the payment"
              + " succeeded: read the outcome from `Location`. When the gateway is unavailable the"
              + " answer is a 503 with `Retry-After` that names the top-up (`topUpId`), which stays"
              + " `REQUESTED`: retry with the same `Idempotency-Key` to continue the same top-up with"
              + " the same intent; the same key also fetches the client secret again.")
  @ApiProblems({
    "validation",
    "not-found",
    "currency-mismatch",
    "account-closed",
    "idempotency-conflict",
    "contended",
    "gateway-disabled",
    "gateway-unavailable",
    "gateway-refused"
  })
  @ResponseStatus(HttpStatus.CREATED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<TopUpStarted> request(
      @Valid @RequestBody TopUpRequest body, HttpServletRequest request) {
    var account =
        accounts
            .find(body.accountId())
            .orElseThrow(
                () ->
                    new TopUpRejected(
                        HttpStatus.NOT_FOUND, "not-found", "no such account: " + body.accountId()));
    Caller.current().requireOwnerOrOperator(account.ownerId());
    if (body.currency() != null && !body.currency().equals(account.currency())) {
      throw new TopUpRejected(
          HttpStatus.UNPROCESSABLE_ENTITY,
          "currency-mismatch",
          "account "
              + account.accountId()
              + " is in "
              + account.currency()
              + ", not "
              + body.currency());
    }
    if ("CLOSED".equals(account.status())) {
      throw new TopUpRejected(
          HttpStatus.CONFLICT, "account-closed", "account " + account.accountId() + " is closed");
    }
    if (!payments.enabled()) {
      throw new GatewayException(
          GatewayException.Kind.DISABLED,
          "no payment gateway is configured: card top-ups are unavailable",
          null,
          null,
          null);
    }
    // Recorded first: a retry with the same Idempotency-Key finds this top-up and goes on with it.
    String topUpId =
        commands.send(
            new RequestTopUp(
                UUID.randomUUID().toString(),
                account.accountId(),
                body.amount(),
                account.currency()),
            request,
            body,
            String.class);
    TopUpStarted started;
    try {
      started = payments.pay(topUpId, metadata.of(request));
    } catch (GatewayException e) {
      throw new TopUpPaymentFailed(topUpId, e);
    }
    return ResponseEntity.created(URI.create("/api/v1/topups/" + topUpId)).body(started);
  }

  @Operation(
      operationId = "getTopUpStatus",
      summary = "Where a top-up stands",
      description =
          "The top-up as the command side knows it, at once (no projection lag): `REQUESTED` (no"
              + " payment intent yet), `AWAITING_PAYMENT`, `SUCCEEDED` (with `credited` once the"
              + " deposit is on the account) or `FAILED` with a `failureCode`. A top-up that failed"
              + " may still succeed should the customer pay its intent with another card. `stuck`"
              + " with a `stuckReason` while its deposit is parked as a dead letter. The client"
              + " secret is never shown here. A customer sees top-ups of its own accounts only.")
  @ApiProblems("not-found")
  @GetMapping("/{topUpId}")
  ResponseEntity<TopUpView> status(@PathVariable String topUpId) {
    Caller caller = Caller.current();
    Row topUp =
        topUps
            .find(topUpId)
            .orElseThrow(
                () ->
                    new TopUpRejected(
                        HttpStatus.NOT_FOUND, "not-found", "no such top-up: " + topUpId));
    if (!caller.has(Caller.OPERATOR)
        && !caller.has(Caller.AUDITOR)
        && accounts
            .find(topUp.accountId())
            .map(account -> !account.ownerId().equals(caller.subject()))
            .orElse(true)) {
      throw new ForbiddenException("this top-up is not for one of your accounts");
    }
    var parked = deadLetters.parked(TopUpProcess.PROCESSOR, topUpId);
    return ResponseEntity.ok(
        new TopUpView(
            topUp.topUpId(),
            topUp.accountId(),
            topUp.amount(),
            topUp.currency(),
            topUp.status(),
            topUp.intentId(),
            topUp.failureCode(),
            topUp.creditedAt() != null,
            topUp.requestedAt(),
            topUp.updatedAt(),
            parked.isPresent(),
            parked
                .map(
                    letter ->
                        caller.has(Caller.OPERATOR) || caller.has(Caller.AUDITOR)
                            ? letter.reason()
                            : HELD_FOR_OPERATOR)
                .orElse(null)));
  }

  @ExceptionHandler(TopUpRejected.class)
  ProblemDetail rejected(TopUpRejected rejected) {
    return Problems.of(rejected.status, rejected.kind, "Top-up rejected", rejected.getMessage());
  }

  /** The problem names the top-up, which a retry with the same Idempotency-Key continues. */
  @ExceptionHandler(TopUpPaymentFailed.class)
  ResponseEntity<ProblemDetail> paymentFailed(TopUpPaymentFailed e) {
    ResponseEntity<ProblemDetail> answer = gateway(e.failure);
    answer.getBody().setProperty("topUpId", e.topUpId);
    return ResponseEntity.status(answer.getStatusCode())
        .headers(answer.getHeaders())
        .location(URI.create("/api/v1/topups/" + e.topUpId))
        .body(answer.getBody());
  }

  @ExceptionHandler(GatewayException.class)
  ResponseEntity<ProblemDetail> gateway(GatewayException e) {
    return switch (e.kind()) {
      case DISABLED ->
          ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
              .body(
                  Problems.of(
                      HttpStatus.SERVICE_UNAVAILABLE,
                      "gateway-disabled",
                      "Payment gateway not configured",
                      "no payment gateway is configured: card top-ups are unavailable"));
      case UNAVAILABLE -> {
        log.warn("The payment gateway is unavailable: {}", e.getMessage());
        yield ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
            .body(
                Problems.of(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    "gateway-unavailable",
                    "Payment gateway unavailable",
                    "the payment gateway did not answer; the top-up is kept: retry with the same"
                        + " Idempotency-Key to continue it"));
      }
      case INVALID_REQUEST, DECLINED ->
          ResponseEntity.status(HttpStatus.BAD_GATEWAY)
              .body(
                  Problems.of(
                      HttpStatus.BAD_GATEWAY,
                      "gateway-refused",
                      "Payment gateway refused",
                      "the payment gateway refused the top-up's payment intent"
                          + e.code().map(code -> " (" + code + ")").orElse("")));
    };
  }
}
