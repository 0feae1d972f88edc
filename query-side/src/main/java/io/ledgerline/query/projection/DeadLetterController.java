package io.ledgerline.query.projection;

import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.query.api.CursorScope;
import io.ledgerline.query.api.Cursors;
import io.ledgerline.query.api.Page;
import io.ledgerline.query.api.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/dead-letters}: list parked events a page at a time, retry them. */
@Tag(
    name = "Dead letters",
    description =
        "Events a projection could not project, parked on the dead-letter topic with their"
            + " reason, and their retry.")
@RestController
@RequestMapping(path = "/api/v1/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

  // However many are parked, one request reads at most this many.
  static final int MAX_SIZE = 500;
  private static final CursorScope SCOPE = CursorScope.of("dead-letters");

  private final DeadLetters deadLetters;
  private final Cursors cursors;

  DeadLetterController(DeadLetters deadLetters, Cursors cursors) {
    this.deadLetters = deadLetters;
    this.cursors = cursors;
  }

  /** Pending parked events, oldest first per partition; the cursor holds per-partition offsets. */
  @Operation(
      operationId = "listDeadLetters",
      summary = "List parked events",
      description =
          "The pending parked events, oldest first per partition, a page at a time, each with the"
              + " projection that parked it and why.")
  @ApiProblems({"validation", "cursor-expired"})
  @GetMapping
  Page<DeadLetters.DeadLetter> pending(
      @Parameter(description = "Events per page, 1 to " + MAX_SIZE)
          @RequestParam(defaultValue = "50")
          int size,
      @RequestParam(required = false) String cursor) {
    int pageSize = Paging.size(size, MAX_SIZE);
    Map<Integer, Long> from = cursor == null ? Map.of() : cursors.decodeOffsets(SCOPE, cursor);
    DeadLetters.PendingPage page = deadLetters.pending(from, pageSize);
    return new Page<>(
        page.items(), page.next() == null ? null : cursors.encodeOffsets(SCOPE, page.next()));
  }

  /** Republishes every pending parked event, a page at a time. */
  @Operation(
      operationId = "retryDeadLetters",
      summary = "Retry every parked event",
      description =
          "Republishes every pending parked event to the event topic, a page at a time, and marks"
              + " it handled: every projection sees it again, and those that had it already skip"
              + " it.")
  @PostMapping("/retry")
  DeadLetters.Retried retry() throws Exception {
    return deadLetters.retryAll();
  }
}
