/**
 * The one fold of events into account, transfer and top-up state.
 *
 * <p>It lives in shared-events, beside the contracts, rather than in the event-store reader: it is
 * a pure function of the event records, needed by code that never reads the store (the command
 * side's property test against its aggregates; the projectors, which read Kafka), and it changes
 * exactly when an event does.
 */
package io.ledgerline.events.fold;
