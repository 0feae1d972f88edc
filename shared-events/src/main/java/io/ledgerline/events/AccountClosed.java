package io.ledgerline.events;

/**
 * An account was closed at a zero balance: it accepts nothing any more.
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, or {@code null}
 */
public record AccountClosed(String accountId, String reason) implements AccountEvent {}
