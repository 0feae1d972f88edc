package io.ledgerline.query.projection;

import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/projections}: every projection's position and lag. */
@RestController
class ProjectionController {

  private final ProjectionStatus status;

  ProjectionController(ProjectionStatus status) {
    this.status = status;
  }

  @GetMapping(path = "/api/v1/projections", produces = MediaType.APPLICATION_JSON_VALUE)
  List<ProjectionStatus.Status> projections() throws Exception {
    return status.all();
  }
}
