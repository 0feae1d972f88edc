package io.ledgerline.command.account;

import static io.ledgerline.command.account.AccountRuleViolation.Kind.ACCOUNT_CLOSED;
import static io.ledgerline.command.account.AccountRuleViolation.Kind.ACCOUNT_FROZEN;
import static io.ledgerline.command.account.AccountRuleViolation.Kind.INSUFFICIENT_FUNDS;
import static io.ledgerline.command.account.AccountRuleViolation.Kind.INVALID_AMOUNT;
import static io.ledgerline.command.account.AccountRuleViolation.Kind.NON_ZERO_BALANCE;
import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ledgerline.command.account.AccountCommands.CloseAccount;
import io.ledgerline.command.account.AccountCommands.DepositFunds;
import io.ledgerline.command.account.AccountCommands.FreezeAccount;
import io.ledgerline.command.account.AccountCommands.OpenAccount;
import io.ledgerline.command.account.AccountCommands.UnfreezeAccount;
import io.ledgerline.command.account.AccountCommands.WithdrawFunds;
import io.ledgerline.command.account.TopUpStepCommands.DepositForTopUp;
import io.ledgerline.command.account.TransferStepCommands.CreditForTransfer;
import io.ledgerline.command.account.TransferStepCommands.DebitForTransfer;
import io.ledgerline.command.account.TransferStepCommands.ReverseTransferDebit;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.Money;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.SealedText;
import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import java.util.HashSet;
import java.util.Set;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An account: the consistency boundary for its balance. Each command checks the rules against the
 * current state, then applies an event; state changes only in the event-sourcing handlers. Free
 * text (references, reasons) arrives sealed under the owner's key and is refused in clear.
 */
// Snapshots serialize the fields directly: the aggregate has no getters by design.
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@Aggregate(snapshotTriggerDefinition = "accountSnapshotTrigger", cache = "accountCache")
class Account {

  @AggregateIdentifier private String accountId;
  private String ownerId;
  private String currency;
  private long overdraftLimitMinor;
  private long balanceMinor;
  private AccountStatus status;
  private long version;
  // Transfer ids whose step this account has already taken: a redelivered step is a no-op.
  private Set<String> debitsHandled = new HashSet<>();
  private Set<String> creditsHandled = new HashSet<>();
  private Set<String> debited = new HashSet<>();
  private Set<String> reversed = new HashSet<>();
  // Top-up ids this account was credited for: a redelivered credit is a no-op.
  private Set<String> topUpsCredited = new HashSet<>();

  Account() {
    // Required by Axon to rebuild the account from its events.
  }

  @CommandHandler
  Account(OpenAccount command) {
    Money.requireIsoCurrency(command.currency());
    if (command.overdraftLimitMinor() < 0
        || command.overdraftLimitMinor() > Money.MAX_AMOUNT_MINOR) {
      throw new AccountRuleViolation(
          INVALID_AMOUNT, "overdraft limit must be between 0 and " + Money.MAX_AMOUNT_MINOR);
    }
    apply(
        new AccountOpened(
            command.accountId(),
            command.ownerId(),
            command.currency(),
            command.overdraftLimitMinor()));
  }

  @CommandHandler
  AccountSnapshot handle(DepositFunds command) {
    SealedText.requireSealedOrNull(command.reference(), PersonalFields.REFERENCE);
    requireValidAmount(command.amountMinor());
    requireNotClosed();
    if (balanceMinor + command.amountMinor() > Money.MAX_AMOUNT_MINOR) {
      throw new AccountRuleViolation(
          INVALID_AMOUNT, "the balance would exceed " + Money.MAX_AMOUNT_MINOR + " minor units");
    }
    apply(
        new FundsDeposited(
            accountId,
            command.amountMinor(),
            currency,
            balanceMinor + command.amountMinor(),
            command.reference()));
    return snapshot();
  }

  @CommandHandler
  AccountSnapshot handle(WithdrawFunds command) {
    SealedText.requireSealedOrNull(command.reference(), PersonalFields.REFERENCE);
    requireValidAmount(command.amountMinor());
    requireNotClosed();
    if (status == AccountStatus.FROZEN) {
      throw new AccountRuleViolation(ACCOUNT_FROZEN, "account " + accountId + " is frozen");
    }
    long balanceAfter = balanceMinor - command.amountMinor();
    if (balanceAfter < -overdraftLimitMinor) {
      throw new AccountRuleViolation(
          INSUFFICIENT_FUNDS,
          "balance "
              + balanceMinor
              + " with overdraft limit "
              + overdraftLimitMinor
              + " does not cover "
              + command.amountMinor());
    }
    apply(
        new FundsWithdrawn(
            accountId, command.amountMinor(), currency, balanceAfter, command.reference()));
    return snapshot();
  }

  /** Freezing a frozen account changes nothing and succeeds: the operator's intent holds. */
  @CommandHandler
  AccountSnapshot handle(FreezeAccount command) {
    SealedText.requireSealedOrNull(command.reason(), PersonalFields.REASON);
    requireNotClosed();
    if (status == AccountStatus.OPEN) {
      apply(new AccountFrozen(accountId, command.reason(), command.frozenBy()));
    }
    return snapshot();
  }

  @CommandHandler
  AccountSnapshot handle(UnfreezeAccount command) {
    SealedText.requireSealedOrNull(command.reason(), PersonalFields.REASON);
    requireNotClosed();
    if (status == AccountStatus.FROZEN) {
      apply(new AccountUnfrozen(accountId, command.reason()));
    }
    return snapshot();
  }

  @CommandHandler
  AccountSnapshot handle(CloseAccount command) {
    SealedText.requireSealedOrNull(command.reason(), PersonalFields.REASON);
    if (status == AccountStatus.CLOSED) {
      return snapshot();
    }
    if (balanceMinor != 0) {
      throw new AccountRuleViolation(
          NON_ZERO_BALANCE,
          "only a zero-balance account can be closed; balance is " + balanceMinor);
    }
    apply(new AccountClosed(accountId, command.reason()));
    return snapshot();
  }

  /**
   * The credit of a card top-up the gateway reported paid: once per top-up, whatever the account's
   * status but closed (a frozen account accepts deposits).
   */
  @CommandHandler
  void handle(DepositForTopUp command) {
    if (topUpsCredited.contains(command.topUpId())) {
      return;
    }
    requireValidAmount(command.amountMinor());
    requireNotClosed();
    if (!currency.equals(command.currency())) {
      throw new AccountRuleViolation(
          INVALID_AMOUNT,
          "account " + accountId + " is in " + currency + ", not " + command.currency());
    }
    if (balanceMinor + command.amountMinor() > Money.MAX_AMOUNT_MINOR) {
      throw new AccountRuleViolation(
          INVALID_AMOUNT, "the balance would exceed " + Money.MAX_AMOUNT_MINOR + " minor units");
    }
    apply(
        new FundsDeposited(
            accountId,
            command.amountMinor(),
            currency,
            balanceMinor + command.amountMinor(),
            null,
            command.topUpId()));
  }

  @CommandHandler
  void handle(DebitForTransfer command) {
    if (debitsHandled.contains(command.transferId())) {
      return;
    }
    String refusal = null;
    if (status == AccountStatus.CLOSED) {
      refusal = "source account is closed";
    } else if (status == AccountStatus.FROZEN) {
      refusal = "source account is frozen";
    } else if (!currency.equals(command.currency())) {
      refusal = "source account is in " + currency + ", not " + command.currency();
    } else if (!Money.isValidMovementAmount(command.amountMinor())) {
      refusal = "invalid amount";
    } else if (balanceMinor - command.amountMinor() < -overdraftLimitMinor) {
      refusal = "insufficient funds";
    }
    if (refusal != null) {
      apply(new TransferDebitRefused(accountId, command.transferId(), refusal));
    } else {
      apply(
          new TransferDebited(
              accountId,
              command.transferId(),
              command.amountMinor(),
              currency,
              balanceMinor - command.amountMinor(),
              command.toAccountId()));
    }
  }

  @CommandHandler
  void handle(CreditForTransfer command) {
    if (creditsHandled.contains(command.transferId())) {
      return;
    }
    String refusal = null;
    if (status == AccountStatus.CLOSED) {
      refusal = "destination account is closed";
    } else if (status == AccountStatus.FROZEN) {
      refusal = "destination account is frozen";
    } else if (!currency.equals(command.currency())) {
      refusal = "destination account is in " + currency + ", not " + command.currency();
    } else if (balanceMinor + command.amountMinor() > Money.MAX_AMOUNT_MINOR) {
      refusal = "destination balance would exceed its limit";
    }
    if (refusal != null) {
      apply(
          new TransferCreditRefused(
              accountId,
              command.transferId(),
              command.amountMinor(),
              command.fromAccountId(),
              refusal));
    } else {
      apply(
          new TransferCredited(
              accountId,
              command.transferId(),
              command.amountMinor(),
              currency,
              balanceMinor + command.amountMinor(),
              command.fromAccountId()));
    }
  }

  /** Money owed back is always returned, whatever the account's status. */
  @CommandHandler
  void handle(ReverseTransferDebit command) {
    if (!debited.contains(command.transferId()) || reversed.contains(command.transferId())) {
      return;
    }
    apply(
        new TransferDebitReversed(
            accountId,
            command.transferId(),
            command.amountMinor(),
            currency,
            balanceMinor + command.amountMinor(),
            command.reason()));
  }

  private void requireValidAmount(long amountMinor) {
    if (!Money.isValidMovementAmount(amountMinor)) {
      throw new AccountRuleViolation(
          INVALID_AMOUNT,
          "amount must be between 1 and " + Money.MAX_AMOUNT_MINOR + " minor units");
    }
  }

  private void requireNotClosed() {
    if (status == AccountStatus.CLOSED) {
      throw new AccountRuleViolation(ACCOUNT_CLOSED, "account " + accountId + " is closed");
    }
  }

  AccountSnapshot snapshot() {
    return new AccountSnapshot(accountId, ownerId, currency, balanceMinor, status, version);
  }

  @EventSourcingHandler
  void on(AccountOpened event, @SequenceNumber long sequence) {
    accountId = event.accountId();
    ownerId = event.ownerId();
    currency = event.currency();
    overdraftLimitMinor = event.overdraftLimitMinor();
    balanceMinor = 0;
    status = AccountStatus.OPEN;
    version = sequence;
  }

  @EventSourcingHandler
  void on(FundsDeposited event, @SequenceNumber long sequence) {
    balanceMinor += event.amountMinor();
    if (event.topUpId() != null) {
      topUpsCredited.add(event.topUpId());
    }
    version = sequence;
  }

  @EventSourcingHandler
  void on(FundsWithdrawn event, @SequenceNumber long sequence) {
    balanceMinor -= event.amountMinor();
    version = sequence;
  }

  @EventSourcingHandler
  void on(AccountFrozen event, @SequenceNumber long sequence) {
    status = AccountStatus.FROZEN;
    version = sequence;
  }

  @EventSourcingHandler
  void on(AccountUnfrozen event, @SequenceNumber long sequence) {
    status = AccountStatus.OPEN;
    version = sequence;
  }

  @EventSourcingHandler
  void on(AccountClosed event, @SequenceNumber long sequence) {
    status = AccountStatus.CLOSED;
    version = sequence;
  }

  @EventSourcingHandler
  void on(TransferDebited event, @SequenceNumber long sequence) {
    balanceMinor -= event.amountMinor();
    debitsHandled.add(event.transferId());
    debited.add(event.transferId());
    version = sequence;
  }

  @EventSourcingHandler
  void on(TransferDebitRefused event, @SequenceNumber long sequence) {
    debitsHandled.add(event.transferId());
    version = sequence;
  }

  @EventSourcingHandler
  void on(TransferCredited event, @SequenceNumber long sequence) {
    balanceMinor += event.amountMinor();
    creditsHandled.add(event.transferId());
    version = sequence;
  }

  @EventSourcingHandler
  void on(TransferCreditRefused event, @SequenceNumber long sequence) {
    creditsHandled.add(event.transferId());
    version = sequence;
  }

  @EventSourcingHandler
  void on(TransferDebitReversed event, @SequenceNumber long sequence) {
    balanceMinor += event.amountMinor();
    reversed.add(event.transferId());
    version = sequence;
  }
}
