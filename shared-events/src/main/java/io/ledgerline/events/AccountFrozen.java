package io.ledgerline.events;

/**
 * An account was frozen: it accepts no debit until unfrozen.
 *
 * <p>Revision 2: {@code reason} is {@link SealedText} under the account owner's key; revision 1
 * held it in clear (readers show such a value as it is).
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, sealed, or {@code null}
 * @param frozenBy the subject who froze it; {@code null} in events stored before it was recorded
 */
public record AccountFrozen(String accountId, String reason, String frozenBy)
    implements AccountEvent {}
