package io.ledgerline.events;

/**
 * An account was unfrozen: debits are accepted again.
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, or {@code null}
 */
public record AccountUnfrozen(String accountId, String reason) implements AccountEvent {}
