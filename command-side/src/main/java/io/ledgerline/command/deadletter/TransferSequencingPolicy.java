package io.ledgerline.command.deadletter;

import io.ledgerline.events.TransferCreditRefused;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitRefused;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferEvent;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.async.SequencingPolicy;

/**
 * Orders the transfer process per transfer: its events come from the transfer and from both
 * accounts, and a parked one holds back the later events of its own transfer only, never another
 * transfer of the same accounts. The sequence identifier is the transfer id, which is also how a
 * transfer's status finds out whether it is stuck.
 */
final class TransferSequencingPolicy implements SequencingPolicy<EventMessage<?>> {

  @Override
  public Object getSequenceIdentifierFor(EventMessage<?> event) {
    try {
      String transferId = transferIdOf(event.getPayload());
      if (transferId != null) {
        return transferId;
      }
    } catch (RuntimeException undeserializable) {
      // Handling fails on it the same way and parks it; its aggregate still places it, below.
    }
    return event instanceof DomainEventMessage<?> domainEvent
        ? domainEvent.getAggregateIdentifier()
        : event.getIdentifier();
  }

  /** The transfer an event belongs to, or {@code null} if it is not part of a transfer. */
  static String transferIdOf(Object payload) {
    if (payload instanceof TransferEvent event) {
      return event.transferId();
    } else if (payload instanceof TransferDebited event) {
      return event.transferId();
    } else if (payload instanceof TransferDebitRefused event) {
      return event.transferId();
    } else if (payload instanceof TransferCredited event) {
      return event.transferId();
    } else if (payload instanceof TransferCreditRefused event) {
      return event.transferId();
    } else if (payload instanceof TransferDebitReversed event) {
      return event.transferId();
    }
    return null;
  }
}
