package io.ledgerline.command.deadletter;

import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.Problems;
import io.ledgerline.platform.web.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.deadletter.SequencedDeadLetterProcessor;
import org.axonframework.messaging.deadletter.SequencedDeadLetterQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/v1/admin/dead-letters}: the events the command side's processors parked, a page at a
 * time, and their retry once the cause is fixed. Admins only (see the security configuration).
 */
@Tag(
    name = "Dead letters",
    description =
        "Events the command side's processors (`transfer-process`, `kafka-publisher`,"
            + " `top-up-process`) could never handle, parked with their reason, and their retry"
            + " once the cause is fixed.")
@RestController
@RequestMapping(path = "/api/v1/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

  // However many are parked, one request reads at most this many.
  static final int MAX_SIZE = 500;

  // One retry request works through at most this many sequences; its answer says what remains.
  static final int MAX_RETRIED_SEQUENCES = 100;

  private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);

  /**
   * A page of parked events.
   *
   * @param letters the processor's parked events in all
   * @param sequences how many sequences (transfers, aggregates) they hold back
   * @param nextPage the page to ask for next, or {@code null} on the last
   */
  record DeadLetterPage(
      String processor,
      long letters,
      long sequences,
      int page,
      int size,
      Integer nextPage,
      List<DeadLetters.Letter> items) {}

  /**
   * What a retry did.
   *
   * @param retried sequences handled this time and no longer parked
   * @param failed sequences that failed again (or another instance was retrying) and stay parked
   * @param remaining sequences still parked
   */
  record RetryResult(String processor, int retried, int failed, long remaining) {}

  /** A request naming no processor with dead letters, or asking for an impossible page. */
  static final class DeadLetterRequestRejected extends RuntimeException {
    private final HttpStatus status;
    private final String kind;
    private final String title;

    DeadLetterRequestRejected(HttpStatus status, String kind, String title, String message) {
      super(message, null, false, false);
      this.status = status;
      this.kind = kind;
      this.title = title;
    }
  }

  private final DeadLetters deadLetters;
  private final EventProcessingConfiguration processing;

  DeadLetterController(DeadLetters deadLetters, EventProcessingConfiguration processing) {
    this.deadLetters = deadLetters;
    this.processing = processing;
  }

  /** A processor's parked events, oldest first, each sequence in its order. */
  @Operation(
      operationId = "listDeadLetters",
      summary = "List a processor's dead letters",
      description =
          "A page of the events a processor parked, oldest first, each sequence (a transfer, an"
              + " aggregate) in its order, with the counts of all of them.")
  @ApiProblems({"validation", "bad-request", "not-found"})
  @GetMapping
  DeadLetterPage list(
      @Parameter(
              description = "The processor",
              schema =
                  @Schema(
                      allowableValues = {"transfer-process", "kafka-publisher", "top-up-process"}))
          @RequestParam
          String processor,
      @Parameter(description = "Events per page, 1 to " + MAX_SIZE)
          @RequestParam(defaultValue = "50")
          int size,
      @Parameter(description = "The page, from 0") @RequestParam(defaultValue = "0") int page) {
    queue(processor);
    if (size < 1 || size > MAX_SIZE) {
      throw invalid("size must be between 1 and " + MAX_SIZE);
    }
    if (page < 0) {
      throw invalid("page must not be negative");
    }
    DeadLetters.Counts counts = deadLetters.counts(processor);
    List<DeadLetters.Letter> items = deadLetters.page(processor, page, size);
    Integer nextPage = ((long) page + 1) * size < counts.letters() ? page + 1 : null;
    return new DeadLetterPage(
        processor, counts.letters(), counts.sequences(), page, size, nextPage, items);
  }

  /**
   * Handles parked sequences again, the one touched longest ago first, each in its order and in a
   * transaction of its own: a sequence that succeeds leaves the queue, one that fails again stays
   * parked with the new cause. At most {@value #MAX_RETRIED_SEQUENCES} sequences per request.
   */
  @Operation(
      operationId = "retryDeadLetters",
      summary = "Retry a processor's dead letters",
      description =
          "Handles parked sequences again, the one touched longest ago first, each in its order"
              + " and in a transaction of its own, at most "
              + MAX_RETRIED_SEQUENCES
              + " sequences per request: a sequence that succeeds leaves the queue, one that fails"
              + " again stays parked with the new cause. `remaining` says whether to call again.")
  @ApiProblems("not-found")
  @PostMapping("/{processor}/retry")
  RetryResult retry(@PathVariable String processor) {
    SequencedDeadLetterQueue<EventMessage<?>> queue = queue(processor);
    SequencedDeadLetterProcessor<EventMessage<?>> letters =
        processing
            .sequencedDeadLetterProcessor(processor)
            .orElseThrow(DeadLetterController::unknown);
    long attempts = Math.min(queue.amountOfSequences(), MAX_RETRIED_SEQUENCES);
    int retried = 0;
    int failed = 0;
    for (long attempt = 0; attempt < attempts; attempt++) {
      try {
        if (letters.processAny()) {
          retried++;
        } else {
          failed++;
        }
      } catch (RuntimeException e) {
        // The queue itself failed (the database, most likely): its letters stay parked.
        log.warn("Retrying the dead letters of {} failed; they stay parked", processor, e);
        failed++;
        break;
      }
    }
    long remaining = queue.amountOfSequences();
    log.info(
        "{} retried dead letters of {}: {} sequences handled, {} failed, {} still parked",
        Caller.current().subject(),
        processor,
        retried,
        failed,
        remaining);
    return new RetryResult(processor, retried, failed, remaining);
  }

  private SequencedDeadLetterQueue<EventMessage<?>> queue(String processor) {
    if (!DeadLetterConfiguration.PROCESSORS.contains(processor)) {
      throw unknown();
    }
    return processing.deadLetterQueue(processor).orElseThrow(DeadLetterController::unknown);
  }

  private static DeadLetterRequestRejected unknown() {
    return new DeadLetterRequestRejected(
        HttpStatus.NOT_FOUND,
        "not-found",
        "Not found",
        "no processor with dead letters has that name; those with dead letters are "
            + String.join(", ", DeadLetterConfiguration.PROCESSORS));
  }

  private static DeadLetterRequestRejected invalid(String message) {
    return new DeadLetterRequestRejected(
        HttpStatus.BAD_REQUEST, "validation", "Invalid request", message);
  }

  @ExceptionHandler(DeadLetterRequestRejected.class)
  ProblemDetail rejected(DeadLetterRequestRejected rejected) {
    return Problems.of(rejected.status, rejected.kind, rejected.title, rejected.getMessage());
  }
}
