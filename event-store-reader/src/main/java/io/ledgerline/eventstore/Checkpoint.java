package io.ledgerline.eventstore;

import java.time.Instant;

/**
 * One row of {@code audit_checkpoint}: the global order sealed up to a position.
 *
 * @param id the checkpoint's id, increasing in the order they were written
 * @param upToGlobalIndex the last position covered
 * @param eventCount the events covered since the store began
 * @param runningHash {@link EventHash#running} over every covered event's hash, in global order
 * @param signature {@link EventHash#signature} over the three fields above
 * @param createdAt when it was written (not signed)
 */
public record Checkpoint(
    long id,
    long upToGlobalIndex,
    long eventCount,
    byte[] runningHash,
    byte[] signature,
    Instant createdAt) {}
