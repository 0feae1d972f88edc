package io.ledgerline.query.reconciliation;

import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/v1/admin/reconciliation}: read models against the event store. */
@RestController
class ReconciliationController {

  private final Reconciler reconciler;

  ReconciliationController(Reconciler reconciler) {
    this.reconciler = reconciler;
  }

  @PostMapping(path = "/api/v1/admin/reconciliation", produces = MediaType.APPLICATION_JSON_VALUE)
  Reconciler.Report reconcile() throws IOException {
    return reconciler.reconcile();
  }
}
