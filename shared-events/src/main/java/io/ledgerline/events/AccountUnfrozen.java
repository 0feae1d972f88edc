package io.ledgerline.events;

/**
 * An account was unfrozen: debits are accepted again.
 *
 * <p>Revision 2: {@code reason} is {@link SealedText} under the account owner's key; revision 1
 * held it in clear (readers show such a value as it is).
 *
 * @param accountId the account
 * @param reason the operator's free-text reason, sealed, or {@code null}
 */
public record AccountUnfrozen(String accountId, String reason) implements AccountEvent {}
