package io.ledgerline.command.personaldata;

import io.ledgerline.events.OwnerPersonalDataErased;
import java.util.UUID;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Destroys an owner's key when their erasure is stored, in the same transaction: a subscribing
 * processor (application.yml), like the account directory. If destroying it fails, so does the
 * erasure, and nothing is stored; once the transaction commits, the key is gone and the event that
 * says so is in the hash chain. Erasing an erased owner never reaches here (the owner records one
 * erasure); an erased row cannot get a key back (migration V10).
 */
@Component
@ProcessingGroup(OwnerKeyEraser.PROCESSOR)
class OwnerKeyEraser {

  static final String PROCESSOR = "personal-data-keys";

  private final JdbcTemplate jdbc;

  OwnerKeyEraser(JdbcTemplate jdbc) {
    this.jdbc = jdbc;
  }

  @EventHandler
  void on(OwnerPersonalDataErased event) {
    int destroyed =
        jdbc.update(
            "update owner_data_key set key = null, erased_at = now()"
                + " where owner_id = ? and key is not null",
            event.ownerId());
    if (destroyed == 0) {
      // No live key (the erasing request creates one, so only after a manual change): record the
      // owner as erased all the same, so nothing is ever sealed for them again.
      jdbc.update(
          "insert into owner_data_key (owner_id, key_id, key, erased_at)"
              + " values (?, ?, null, now()) on conflict do nothing",
          event.ownerId(),
          event.keyId() != null ? event.keyId() : UUID.randomUUID().toString());
    }
  }
}
