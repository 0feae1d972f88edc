package io.ledgerline.command.topup;

/** What a gateway's report did to a top-up. */
enum TopUpOutcome {
  /** It was recorded: the top-up succeeded or failed now. */
  RECORDED,
  /**
   * It changed nothing: a redelivery, or news older than what is known (a failure after the
   * success, a second failure).
   */
  UNCHANGED,
  /**
   * It does not match the top-up (another intent, amount, currency or account): nothing is recorded
   * and nothing credited; an operator has to look.
   */
  MISMATCH
}
