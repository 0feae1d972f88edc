package io.ledgerline.command.account;

import io.ledgerline.command.api.GroupCommitted;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;

/** The commands an account accepts. Internal to the command side: only events are shared. */
public final class AccountCommands {

  private AccountCommands() {}

  public record OpenAccount(
      @TargetAggregateIdentifier String accountId,
      String ownerId,
      String currency,
      long overdraftLimitMinor) {}

  /**
   * {@code expectedVersion} is the client's {@code If-Match}, or null for "any version". Its
   * handler writes only events: concurrent deposits commit together.
   */
  @GroupCommitted
  public record DepositFunds(
      @TargetAggregateIdentifier String accountId,
      long amountMinor,
      String reference,
      @TargetAggregateVersion Long expectedVersion) {}

  @GroupCommitted
  public record WithdrawFunds(
      @TargetAggregateIdentifier String accountId,
      long amountMinor,
      String reference,
      @TargetAggregateVersion Long expectedVersion) {}

  /** {@code frozenBy} is the acting subject, recorded in the event. */
  public record FreezeAccount(
      @TargetAggregateIdentifier String accountId,
      String reason,
      @TargetAggregateVersion Long expectedVersion,
      String frozenBy) {}

  public record UnfreezeAccount(
      @TargetAggregateIdentifier String accountId,
      String reason,
      @TargetAggregateVersion Long expectedVersion) {}

  public record CloseAccount(
      @TargetAggregateIdentifier String accountId,
      String reason,
      @TargetAggregateVersion Long expectedVersion) {}
}
