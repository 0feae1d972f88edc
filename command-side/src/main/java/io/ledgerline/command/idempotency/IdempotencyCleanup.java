package io.ledgerline.command.idempotency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Forgets idempotency keys older than the retention, in small batches. */
@Component
class IdempotencyCleanup {

  private static final Logger log = LoggerFactory.getLogger(IdempotencyCleanup.class);
  private static final int BATCH = 1_000;

  private final IdempotencyRecords records;
  private final IdempotencyProperties properties;

  IdempotencyCleanup(IdempotencyRecords records, IdempotencyProperties properties) {
    this.records = records;
    this.properties = properties;
  }

  @Scheduled(fixedDelayString = "${ledgerline.idempotency.cleanup-interval:PT5M}")
  void deleteExpired() {
    int deleted;
    int total = 0;
    do {
      deleted = records.deleteOlderThan(properties.retention(), BATCH);
      total += deleted;
    } while (deleted == BATCH);
    if (total > 0) {
      log.info("Removed {} expired idempotency keys", total);
    }
  }
}
