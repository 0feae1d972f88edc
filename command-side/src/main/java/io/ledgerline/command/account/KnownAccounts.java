package io.ledgerline.command.account;

/** Whether an account was ever opened. */
public interface KnownAccounts {

  boolean exists(String accountId);
}
