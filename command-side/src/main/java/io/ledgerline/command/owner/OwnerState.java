package io.ledgerline.command.owner;

/**
 * What an owner's command answers: no personal data, since the answer is also what an {@code
 * Idempotency-Key} keeps (in {@code idempotency_record}, which erasure does not reach).
 *
 * @param ownerId the owner
 * @param erased whether the owner's personal data is erased
 * @param version the sequence number of the owner's last event
 */
record OwnerState(String ownerId, boolean erased, long version) {}
