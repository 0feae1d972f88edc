package io.ledgerline.command.topup;

import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands a top-up accepts. */
final class TopUpCommands {

  private TopUpCommands() {}

  /** Record a customer's request; answers with the top-up id. */
  record RequestTopUp(
      @TargetAggregateIdentifier String topUpId,
      String accountId,
      long amountMinor,
      String currency) {}

  /** Record the intent the gateway created for the top-up; answers with the top-up's status. */
  record RecordTopUpIntent(@TargetAggregateIdentifier String topUpId, String intentId) {}

  /**
   * The gateway reported the intent paid: what it reported, checked against the top-up. Answers
   * with a {@link TopUpOutcome}.
   *
   * @param accountId the account the intent's metadata names, or null when it names none
   */
  record SucceedTopUp(
      @TargetAggregateIdentifier String topUpId,
      String intentId,
      String accountId,
      long amountMinor,
      String currency) {}

  /**
   * The gateway reported the intent's payment failed, or refused to create the intent ({@code
   * intentId} null). Answers with a {@link TopUpOutcome}.
   */
  record FailTopUp(
      @TargetAggregateIdentifier String topUpId, String intentId, String failureCode) {}
}
