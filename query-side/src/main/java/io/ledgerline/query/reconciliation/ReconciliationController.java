package io.ledgerline.query.reconciliation;

import io.ledgerline.query.metrics.ReconciliationMeters;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code POST /api/v1/admin/reconciliation}: read models against the event store. */
@RestController
class ReconciliationController {

  // One at a time: each run holds a database connection of a small pool for its whole length.
  private final Semaphore running = new Semaphore(1);
  private final Reconciler reconciler;
  private final ReconciliationMeters meters;

  ReconciliationController(Reconciler reconciler, ReconciliationMeters meters) {
    this.reconciler = reconciler;
    this.meters = meters;
  }

  @PostMapping(path = "/api/v1/admin/reconciliation", produces = MediaType.APPLICATION_JSON_VALUE)
  Reconciler.Report reconcile() throws IOException {
    if (!running.tryAcquire()) {
      throw new ResponseStatusException(HttpStatus.CONFLICT, "a reconciliation is already running");
    }
    try {
      Reconciler.Report report = reconciler.reconcile();
      meters.completed(report.differencesTotal());
      return report;
    } finally {
      running.release();
    }
  }
}
