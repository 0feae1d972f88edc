package io.ledgerline.command.account;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * The account's side of a card top-up, sent by the top-up process once the gateway reported the
 * payment succeeded. Idempotent per top-up id, so a redelivered step never credits twice.
 */
public final class TopUpStepCommands {

  private TopUpStepCommands() {}

  /**
   * Deposit a succeeded top-up's amount into its account, once: a {@code FundsDeposited} naming the
   * top-up. Refused (an exception, which parks the step for an operator) only when the account can
   * take no deposit: closed, in another currency, or at its largest balance.
   */
  public record DepositForTopUp(
      @TargetAggregateIdentifier String accountId,
      String topUpId,
      long amountMinor,
      String currency) {}
}
