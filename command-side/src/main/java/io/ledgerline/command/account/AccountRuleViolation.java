package io.ledgerline.command.account;

/**
 * A command that the account's rules refuse. Each kind maps to one stable problem type of the API.
 */
final class AccountRuleViolation extends RuntimeException {

  /** The rule that was broken. */
  enum Kind {
    INVALID_AMOUNT,
    INSUFFICIENT_FUNDS,
    ACCOUNT_FROZEN,
    ACCOUNT_CLOSED,
    NON_ZERO_BALANCE
  }

  private final Kind kind;

  AccountRuleViolation(Kind kind, String message) {
    super(message, null, false, false);
    this.kind = kind;
  }

  Kind kind() {
    return kind;
  }
}
