package io.ledgerline.query.rebuild;

import java.net.URI;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/admin/rebuilds}: rebuild a read model from the event store without downtime. */
@RestController
@RequestMapping(path = "/api/v1/admin/rebuilds", produces = MediaType.APPLICATION_JSON_VALUE)
class RebuildController {

  record RebuildRequest(String projection) {}

  record RebuildStarted(String rebuildId) {}

  private final Rebuilds rebuilds;

  RebuildController(Rebuilds rebuilds) {
    this.rebuilds = rebuilds;
  }

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

  @GetMapping("/{rebuildId}")
  Map<String, Object> progress(@PathVariable String rebuildId) throws Exception {
    return rebuilds.progress(rebuildId);
  }

  @DeleteMapping("/{rebuildId}/previous-index")
  Map<String, Object> deletePrevious(@PathVariable String rebuildId) throws Exception {
    return rebuilds.deletePreviousIndex(rebuildId);
  }
}
