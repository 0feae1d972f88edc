package io.ledgerline.command.owner;

import io.ledgerline.command.owner.OwnerRequests.OwnerProfileResponse;
import io.ledgerline.command.personaldata.PersonalDataVault;
import io.ledgerline.events.OwnerEvent;
import io.ledgerline.events.OwnerPersonalDataErased;
import io.ledgerline.events.OwnerProfileRecorded;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.personaldata.PersonalData;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * An owner's profile, read from the owner's events in the store (no read model holds it) and opened
 * with the owner's key: immediately consistent with the owner's last command, and erased the moment
 * the erasure is stored.
 */
@Component
class OwnerProfiles {

  private final EventStoreReader store;
  private final PersonalDataVault vault;

  OwnerProfiles(EventStoreReader store, PersonalDataVault vault) {
    this.store = store;
    this.vault = vault;
  }

  /** The owner's profile, or empty when the owner has neither recorded one nor been erased. */
  Optional<OwnerProfileResponse> find(String ownerId) {
    OwnerProfileRecorded[] profile = {null};
    boolean[] erased = {false};
    long[] version = {-1};
    store.streamAggregate(
        OwnerEvent.aggregateId(ownerId),
        stored -> {
          Record event = stored.event();
          if (event instanceof OwnerProfileRecorded recorded) {
            profile[0] = recorded;
          } else if (event instanceof OwnerPersonalDataErased) {
            erased[0] = true;
          }
          version[0] = stored.sequence();
          return true;
        });
    if (version[0] < 0) {
      return Optional.empty();
    }
    if (erased[0] || profile[0] == null) {
      return Optional.of(OwnerProfileResponse.erased(ownerId, version[0]));
    }
    PersonalData.Opened name = vault.open(profile[0].name(), PersonalFields.NAME);
    PersonalData.Opened email = vault.open(profile[0].email(), PersonalFields.EMAIL);
    if (name.erased() || email.erased()) {
      return Optional.of(OwnerProfileResponse.erased(ownerId, version[0]));
    }
    return Optional.of(
        new OwnerProfileResponse(
            ownerId, name.value(), email.value(), OwnerProfileResponse.PRESENT, version[0]));
  }
}
