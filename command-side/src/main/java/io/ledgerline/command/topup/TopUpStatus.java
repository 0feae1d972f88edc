package io.ledgerline.command.topup;

/**
 * Where a top-up is in its life: requested (no payment intent yet), awaiting the customer's payment
 * once the gateway created its intent, then succeeded (final: its amount is deposited once) or
 * failed (a later success of the same intent may still follow).
 */
enum TopUpStatus {
  REQUESTED,
  AWAITING_PAYMENT,
  SUCCEEDED,
  FAILED
}
