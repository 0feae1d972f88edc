package io.ledgerline.query.projection;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/dead-letters}: list parked events, retry them. */
@RestController
@RequestMapping(path = "/api/v1/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

  record Retried(int count, List<DeadLetters.DeadLetter> items) {}

  private final DeadLetters deadLetters;

  DeadLetterController(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  @GetMapping
  List<DeadLetters.DeadLetter> pending() {
    return deadLetters.pending();
  }

  @PostMapping("/retry")
  Retried retry() throws Exception {
    List<DeadLetters.DeadLetter> retried = deadLetters.retryAll();
    return new Retried(retried.size(), retried);
  }
}
