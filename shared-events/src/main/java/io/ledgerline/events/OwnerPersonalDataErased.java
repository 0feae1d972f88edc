package io.ledgerline.events;

/**
 * An owner's personal data was erased: the owner's key was destroyed in the transaction that stored
 * this event, so every text sealed under it (profile, references, reasons) is unreadable from now
 * on, while the stored events, their hashes, the amounts and the balances stay as they are. An
 * owner is erased once; a later request records nothing.
 *
 * @param ownerId the owner
 * @param keyId the id of the destroyed key
 * @param erasedBy the subject (an admin) who erased it
 */
public record OwnerPersonalDataErased(String ownerId, String keyId, String erasedBy)
    implements OwnerEvent {}
