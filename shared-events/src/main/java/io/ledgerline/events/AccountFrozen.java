package io.ledgerline.events;

/**
 * An account was frozen: it accepts no debit until unfrozen.
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, or {@code null}
 * @param frozenBy the subject who froze it; {@code null} in events stored before it was recorded
 */
public record AccountFrozen(String accountId, String reason, String frozenBy)
    implements AccountEvent {}
