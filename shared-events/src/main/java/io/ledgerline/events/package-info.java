/**
 * The ledger's event contracts: immutable, past-tense records that both sides depend on.
 *
 * <p>Names, packages and JSON shapes are frozen once an event is stored. New optional data is a new
 * nullable component; a structural change is a new revision with an upcaster; a change of meaning
 * is a new event type.
 */
package io.ledgerline.events;
