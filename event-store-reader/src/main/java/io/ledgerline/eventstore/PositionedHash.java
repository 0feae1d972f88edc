package io.ledgerline.eventstore;

/**
 * A stored event's hash at its place in the global order: what the signed checkpoints cover.
 *
 * @param globalPosition {@code global_index}
 * @param hash the event's hash, see {@link EventHash}
 */
public record PositionedHash(long globalPosition, byte[] hash) {}
