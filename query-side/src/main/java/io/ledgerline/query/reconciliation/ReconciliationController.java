package io.ledgerline.query.reconciliation;

import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.query.metrics.ReconciliationMeters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** {@code POST /api/v1/admin/reconciliation}: read models against the event store. */
@Tag(
    name = "Reconciliation",
    description = "Every read model compared with an independent fold of the event store.")
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

  @Operation(
      operationId = "reconcile",
      summary = "Reconcile the read models",
      description =
          "Folds the event store, up to the settled position, and compares every account,"
              + " transfer, top-up and movement of the read models with it, and checks that every"
              + " succeeded card top-up was deposited exactly once and no deposit names a top-up"
              + " that did not succeed; reports the differences (the first 100) and their count."
              + " One reconciliation at a time.")
  @ApiProblems("http-409")
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
