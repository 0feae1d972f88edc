package io.ledgerline.command.owner;

import io.ledgerline.events.OwnerEvent;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** The commands an owner accepts; personal data in them is already sealed. */
final class OwnerCommands {

  private OwnerCommands() {}

  /** Records (or replaces) the owner's profile: {@code name} and {@code email} sealed. */
  record RecordOwnerProfile(
      @TargetAggregateIdentifier String aggregateId, String ownerId, String name, String email) {

    RecordOwnerProfile(String ownerId, String name, String email) {
      this(OwnerEvent.aggregateId(ownerId), ownerId, name, email);
    }
  }

  /** Erases the owner's personal data: {@code keyId} is the key destroyed with it. */
  record ErasePersonalData(
      @TargetAggregateIdentifier String aggregateId,
      String ownerId,
      String keyId,
      String erasedBy) {

    ErasePersonalData(String ownerId, String keyId, String erasedBy) {
      this(OwnerEvent.aggregateId(ownerId), ownerId, keyId, erasedBy);
    }
  }
}
