package io.ledgerline.command.account;

/** Where an account is in its life. */
enum AccountStatus {
  OPEN,
  FROZEN,
  CLOSED
}
