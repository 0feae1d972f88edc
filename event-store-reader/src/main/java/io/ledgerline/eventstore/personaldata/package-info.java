/**
 * Personal data in the event store: owners' keys ({@code owner_data_key}, read-only here), the
 * AES-GCM cipher that seals and opens {@link io.ledgerline.events.SealedText} with them, and {@link
 * io.ledgerline.eventstore.personaldata.PersonalData}, which opens a stored personal field for an
 * answer (or says it was erased). Auto-configured for any service with a single data source. Keys
 * are created and destroyed by the command side alone.
 */
package io.ledgerline.eventstore.personaldata;
