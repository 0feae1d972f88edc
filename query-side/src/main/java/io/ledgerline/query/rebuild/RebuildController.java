package io.ledgerline.query.rebuild;

import io.ledgerline.platform.web.openapi.ApiProblems;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/rebuilds}: rebuild a read model from the event store without downtime. */
@Tag(
    name = "Rebuilds",
    description =
        "Rebuild a read model from the event store into a new index, then switch its alias to it:"
            + " reads go on from the old index until the switch.")
@RestController
@RequestMapping(path = "/api/v1/admin/rebuilds", produces = MediaType.APPLICATION_JSON_VALUE)
class RebuildController {

  record RebuildRequest(
      @Schema(
              description = "The read model to rebuild",
              allowableValues = {"accounts", "transfers", "topups", "transactions"},
              example = "accounts")
          String projection) {}

  record RebuildStarted(
      @Schema(example = "5e2f1c3a-8d4b-4a7e-b1c9-0f6d2e8a7b35") String rebuildId) {}

  private final Rebuilds rebuilds;

  RebuildController(Rebuilds rebuilds) {
    this.rebuilds = rebuilds;
  }

  @Operation(
      operationId = "startRebuild",
      summary = "Start a rebuild",
      description =
          "Starts rebuilding a read model in the background; follow it at `Location`. One rebuild"
              + " of a read model at a time.")
  @ApiProblems("validation")
  @ResponseStatus(HttpStatus.ACCEPTED)
  @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
  ResponseEntity<RebuildStarted> start(@RequestBody RebuildRequest request) throws Exception {
    if (request.projection() == null) {
      throw new io.ledgerline.platform.web.problem.InvalidParameterException(
          "projection", "is required");
    }
    String id = rebuilds.start(request.projection());
    return ResponseEntity.accepted()
        .location(URI.create("/api/v1/admin/rebuilds/" + id))
        .body(new RebuildStarted(id));
  }

  @Operation(
      operationId = "getRebuild",
      summary = "A rebuild's progress",
      description =
          "Where a rebuild stands: its phase, the events folded so far and, once switched, the"
              + " previous index.")
  @ApiProblems("not-found")
  @GetMapping("/{rebuildId}")
  Map<String, Object> progress(@PathVariable String rebuildId) throws Exception {
    return rebuilds.progress(rebuildId);
  }

  @Operation(
      operationId = "deletePreviousIndex",
      summary = "Delete the index a rebuild replaced",
      description =
          "Deletes the read model's previous index once the rebuild has switched the alias to the"
              + " new one, and answers with the rebuild's progress.")
  @ApiProblems({"validation", "not-found"})
  @DeleteMapping("/{rebuildId}/previous-index")
  Map<String, Object> deletePrevious(@PathVariable String rebuildId) throws Exception {
    return rebuilds.deletePreviousIndex(rebuildId);
  }
}
