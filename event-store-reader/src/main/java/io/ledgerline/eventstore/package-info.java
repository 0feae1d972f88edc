/**
 * Read-only access to the event store and its audit checkpoints: typed rows by aggregate, by
 * settled global position and by time ({@link io.ledgerline.eventstore.EventStoreReader}), the one
 * decoder of stored payloads ({@link io.ledgerline.eventstore.EventDecoder}) and the one hash of
 * the tamper evidence ({@link io.ledgerline.eventstore.EventHash}). Auto-configured for any service
 * with a single data source.
 */
package io.ledgerline.eventstore;
