package io.ledgerline.command.account;

import io.ledgerline.events.AccountOpened;
import io.ledgerline.eventstore.EventStoreReader;
import io.ledgerline.eventstore.StoredEvent;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Whose an account is, to seal its free text under the owner's key: the directory knows every
 * account opened through the API; an account stored by other means (a migration) is known by its
 * first event.
 */
@Component
class AccountOwnership {

  private final AccountDirectory directory;
  private final EventStoreReader store;

  AccountOwnership(AccountDirectory directory, EventStoreReader store) {
    this.directory = directory;
    this.store = store;
  }

  /** The account's owner, or empty when there is no such account. */
  Optional<String> ownerOf(String accountId) {
    return directory
        .find(accountId)
        .map(AccountDirectory.Entry::ownerId)
        .or(
            () ->
                store.aggregatePage(accountId, -1, 1).stream()
                    .map(StoredEvent::event)
                    .filter(AccountOpened.class::isInstance)
                    .map(opened -> ((AccountOpened) opened).ownerId())
                    .findFirst());
  }
}
