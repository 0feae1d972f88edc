package io.ledgerline.command.topup;

/** Whether a top-up was ever requested. */
@FunctionalInterface
interface KnownTopUps {

  boolean exists(String topUpId);
}
