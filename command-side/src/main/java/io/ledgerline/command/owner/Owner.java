package io.ledgerline.command.owner;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ledgerline.command.owner.OwnerCommands.ErasePersonalData;
import io.ledgerline.command.owner.OwnerCommands.RecordOwnerProfile;
import io.ledgerline.command.personaldata.PersonalDataErasedException;
import io.ledgerline.events.OwnerEvent;
import io.ledgerline.events.OwnerPersonalDataErased;
import io.ledgerline.events.OwnerProfileRecorded;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.SealedText;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventhandling.SequenceNumber;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.CreationPolicy;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * An owner's personal data, as a history in the hash-chained event store: profiles recorded and,
 * once, the erasure. Created by whichever comes first, so an owner who never recorded a profile can
 * be erased too (their references and reasons are sealed under the same key). After the erasure no
 * profile is recorded again.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@Aggregate
class Owner {

  @AggregateIdentifier private String aggregateId;
  private String ownerId;
  private boolean erased;
  private long version;

  Owner() {
    // Required by Axon to rebuild the owner from its events, and to create one when missing.
  }

  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  OwnerState handle(RecordOwnerProfile command) {
    if (erased) {
      throw new PersonalDataErasedException(command.ownerId());
    }
    if (command.name() == null || command.email() == null) {
      throw new IllegalArgumentException("a profile has a name and an e-mail address");
    }
    SealedText.requireSealedOrNull(command.name(), PersonalFields.NAME);
    SealedText.requireSealedOrNull(command.email(), PersonalFields.EMAIL);
    apply(new OwnerProfileRecorded(command.ownerId(), command.name(), command.email()));
    return state();
  }

  /** Erasing an erased owner changes nothing and succeeds: the erasure stands, recorded once. */
  @CommandHandler
  @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
  OwnerState handle(ErasePersonalData command) {
    if (!erased) {
      apply(new OwnerPersonalDataErased(command.ownerId(), command.keyId(), command.erasedBy()));
    }
    return state();
  }

  private OwnerState state() {
    return new OwnerState(ownerId, erased, version);
  }

  @EventSourcingHandler
  void on(OwnerProfileRecorded event, @SequenceNumber long sequence) {
    aggregateId = OwnerEvent.aggregateId(event.ownerId());
    ownerId = event.ownerId();
    version = sequence;
  }

  @EventSourcingHandler
  void on(OwnerPersonalDataErased event, @SequenceNumber long sequence) {
    aggregateId = OwnerEvent.aggregateId(event.ownerId());
    ownerId = event.ownerId();
    erased = true;
    version = sequence;
  }
}
