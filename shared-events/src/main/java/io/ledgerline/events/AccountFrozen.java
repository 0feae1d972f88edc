package io.ledgerline.events;

/**
 * An account was frozen: it accepts no debit until unfrozen.
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, or {@code null}
 */
public record AccountFrozen(String accountId, String reason) implements AccountEvent {}
