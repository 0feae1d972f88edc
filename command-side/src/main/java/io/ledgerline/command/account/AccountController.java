package io.ledgerline.command.account;

import io.ledgerline.command.account.AccountCommands.CloseAccount;
import io.ledgerline.command.account.AccountCommands.DepositFunds;
import io.ledgerline.command.account.AccountCommands.FreezeAccount;
import io.ledgerline.command.account.AccountCommands.OpenAccount;
import io.ledgerline.command.account.AccountCommands.UnfreezeAccount;
import io.ledgerline.command.account.AccountCommands.WithdrawFunds;
import io.ledgerline.command.account.AccountRequests.AccountOpenedResponse;
import io.ledgerline.command.account.AccountRequests.BalanceResponse;
import io.ledgerline.command.account.AccountRequests.MovementRequest;
import io.ledgerline.command.account.AccountRequests.OpenAccountRequest;
import io.ledgerline.command.account.AccountRequests.StatusChangeRequest;
import io.ledgerline.command.account.AccountRequests.StatusResponse;
import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.idempotency.IdempotentCommandSender;
import io.ledgerline.command.personaldata.PersonalDataVault;
import io.ledgerline.events.Money;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidRequestException;
import io.ledgerline.platform.web.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.UUID;
import java.util.regex.Pattern;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The account commands over HTTP: {@code /api/v1/accounts}. */
@Tag(
    name = "Accounts",
    description =
        "Open accounts, move money in and out, freeze, unfreeze and close them. Each command"
            + " answers with the account's new version (also its `ETag`).")
@RestController
@RequestMapping(path = "/api/v1/accounts", produces = MediaType.APPLICATION_JSON_VALUE)
class AccountController {

  private static final Pattern VERSION_TAG = Pattern.compile("(W/)?\"?(\\d{1,18})\"?");

  private final IdempotentCommandSender commands;
  private final RequestMetadata metadata;
  private final AccountDirectory directory;
  private final AccountOwnership ownership;
  private final PersonalDataVault vault;

  AccountController(
      IdempotentCommandSender commands,
      RequestMetadata metadata,
      AccountDirectory directory,
      AccountOwnership ownership,
      PersonalDataVault vault) {
    this.commands = commands;
    this.metadata = metadata;
    this.directory = directory;
    this.ownership = ownership;
    this.vault = vault;
  }

  /**
   * Free text for an account's event, sealed under the key of the account's owner: it may name
   * people, so it is never stored in clear (null stays null).
   */
  private String sealed(String accountId, String field, String text) {
    if (text == null) {
      return null;
    }
    String ownerId =
        ownership
            .ownerOf(accountId)
            .orElseThrow(() -> new AggregateNotFoundException(accountId, "no such account"));
    return vault.seal(ownerId, field, text);
  }

  /** Customers act on their own accounts only; operators on any. */
  private void requireMayActOn(String accountId) {
    Caller caller = Caller.current();
    if (!caller.actsOnAnyAccount()) {
      directory
          .find(accountId)
          .ifPresent(account -> caller.requireOwnerOrOperator(account.ownerId()));
    }
  }

  @Operation(
      operationId = "openAccount",
      summary = "Open an account",
      description =
          "Opens an account in one currency, at balance 0 and version 0, for `ownerId` or, without"
              + " one, for the caller; a customer may open accounts only for itself. The new id is"
              + " in the body and in `Location`.")
  @ApiProblems({"validation", "invalid-amount", "idempotency-conflict", "contended"})
  @ResponseStatus(HttpStatus.CREATED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<AccountOpenedResponse> open(
      @Valid @RequestBody OpenAccountRequest body, HttpServletRequest request) {
    if (!Money.isIsoCurrency(body.currency())) {
      throw new InvalidRequestException("currency " + body.currency() + " is not an ISO 4217 code");
    }
    String accountId = UUID.randomUUID().toString();
    String ownerId = body.ownerId() != null ? body.ownerId() : metadata.subject(request);
    Caller.current().requireOwnerOrOperator(ownerId);
    long overdraft = body.overdraftLimit() != null ? body.overdraftLimit() : 0;
    // A retried request gets the account its first attempt opened.
    accountId =
        commands.send(
            new OpenAccount(accountId, ownerId, body.currency(), overdraft),
            request,
            body,
            String.class);
    return ResponseEntity.created(URI.create("/api/v1/accounts/" + accountId))
        .eTag(etag(0))
        .body(new AccountOpenedResponse(accountId, ownerId, body.currency(), 0));
  }

  @Operation(
      operationId = "depositFunds",
      summary = "Deposit money",
      description =
          "Adds `amount` minor units to the balance of an open or frozen account; a customer may"
              + " deposit only to its own accounts.")
  @ApiProblems({
    "validation",
    "not-found",
    "invalid-amount",
    "account-closed",
    "version-conflict",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @PostMapping(path = "/{accountId}/deposits", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<BalanceResponse> deposit(
      @PathVariable String accountId,
      @Valid @RequestBody MovementRequest body,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      HttpServletRequest request) {
    requireMayActOn(accountId);
    Long expectedVersion = expectedVersion(ifMatch);
    AccountSnapshot account =
        commands.send(
            () ->
                new DepositFunds(
                    accountId,
                    body.amount(),
                    sealed(accountId, PersonalFields.REFERENCE, body.reference()),
                    expectedVersion),
            request,
            body,
            AccountSnapshot.class);
    return balance(account);
  }

  @Operation(
      operationId = "withdrawFunds",
      summary = "Withdraw money",
      description =
          "Takes `amount` minor units from an open account, as far as its balance and overdraft"
              + " limit cover them; a customer may withdraw only from its own accounts.")
  @ApiProblems({
    "validation",
    "not-found",
    "invalid-amount",
    "insufficient-funds",
    "account-frozen",
    "account-closed",
    "version-conflict",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @PostMapping(path = "/{accountId}/withdrawals", consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<BalanceResponse> withdraw(
      @PathVariable String accountId,
      @Valid @RequestBody MovementRequest body,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      HttpServletRequest request) {
    requireMayActOn(accountId);
    Long expectedVersion = expectedVersion(ifMatch);
    AccountSnapshot account =
        commands.send(
            () ->
                new WithdrawFunds(
                    accountId,
                    body.amount(),
                    sealed(accountId, PersonalFields.REFERENCE, body.reference()),
                    expectedVersion),
            request,
            body,
            AccountSnapshot.class);
    return balance(account);
  }

  @Operation(
      operationId = "freezeAccount",
      summary = "Freeze an account",
      description =
          "Stops withdrawals and transfers from or to the account; deposits are still accepted."
              + " Freezing a frozen account changes nothing and succeeds.")
  @ApiProblems({
    "validation",
    "not-found",
    "account-closed",
    "version-conflict",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @PostMapping("/{accountId}/freeze")
  ResponseEntity<StatusResponse> freeze(
      @PathVariable String accountId,
      @Valid @RequestBody(required = false) StatusChangeRequest body,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      HttpServletRequest request) {
    Long expectedVersion = expectedVersion(ifMatch);
    String frozenBy = metadata.subject(request);
    return status(
        commands.send(
            () ->
                new FreezeAccount(
                    accountId,
                    sealed(accountId, PersonalFields.REASON, reason(body)),
                    expectedVersion,
                    frozenBy),
            request,
            body,
            AccountSnapshot.class));
  }

  @Operation(
      operationId = "unfreezeAccount",
      summary = "Unfreeze an account",
      description =
          "Opens a frozen account again. Unfreezing an open account changes nothing and succeeds.")
  @ApiProblems({
    "validation",
    "not-found",
    "account-closed",
    "version-conflict",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @PostMapping("/{accountId}/unfreeze")
  ResponseEntity<StatusResponse> unfreeze(
      @PathVariable String accountId,
      @Valid @RequestBody(required = false) StatusChangeRequest body,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      HttpServletRequest request) {
    Long expectedVersion = expectedVersion(ifMatch);
    return status(
        commands.send(
            () ->
                new UnfreezeAccount(
                    accountId,
                    sealed(accountId, PersonalFields.REASON, reason(body)),
                    expectedVersion),
            request,
            body,
            AccountSnapshot.class));
  }

  @Operation(
      operationId = "closeAccount",
      summary = "Close an account",
      description =
          "Closes an account whose balance is zero, for good. Closing a closed account changes"
              + " nothing and succeeds.")
  @ApiProblems({
    "validation",
    "not-found",
    "non-zero-balance",
    "version-conflict",
    "idempotency-conflict",
    "personal-data-erased",
    "contended"
  })
  @PostMapping("/{accountId}/close")
  ResponseEntity<StatusResponse> close(
      @PathVariable String accountId,
      @Valid @RequestBody(required = false) StatusChangeRequest body,
      @RequestHeader(name = "If-Match", required = false) String ifMatch,
      HttpServletRequest request) {
    Long expectedVersion = expectedVersion(ifMatch);
    return status(
        commands.send(
            () ->
                new CloseAccount(
                    accountId,
                    sealed(accountId, PersonalFields.REASON, reason(body)),
                    expectedVersion),
            request,
            body,
            AccountSnapshot.class));
  }

  private static ResponseEntity<BalanceResponse> balance(AccountSnapshot account) {
    return ResponseEntity.ok()
        .eTag(etag(account.version()))
        .body(new BalanceResponse(account.accountId(), account.balanceMinor(), account.version()));
  }

  private static ResponseEntity<StatusResponse> status(AccountSnapshot account) {
    return ResponseEntity.ok()
        .eTag(etag(account.version()))
        .body(new StatusResponse(account.accountId(), account.status(), account.version()));
  }

  private static String reason(StatusChangeRequest body) {
    return body != null ? body.reason() : null;
  }

  private static String etag(long version) {
    return "\"" + version + "\"";
  }

  /** {@code If-Match: "7"} (or {@code 7}) pins the command to version 7; absent or * = any. */
  static Long expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.trim().equals("*")) {
      return null;
    }
    var matcher = VERSION_TAG.matcher(ifMatch.trim());
    if (!matcher.matches()) {
      throw new InvalidRequestException(
          "If-Match must be the account version from an ETag, such as \"3\"");
    }
    return Long.parseLong(matcher.group(2));
  }
}
