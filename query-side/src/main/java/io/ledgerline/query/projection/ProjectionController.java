package io.ledgerline.query.projection;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /api/v1/projections}: every projection's position and lag. */
@Tag(
    name = "Projections",
    description = "How far each projection has come: its position and lag per partition.")
@RestController
class ProjectionController {

  private final ProjectionStatus status;

  ProjectionController(ProjectionStatus status) {
    this.status = status;
  }

  @Operation(
      operationId = "listProjections",
      summary = "Projection positions and lag",
      description =
          "Each projection's position per partition of the event topic and its lag, in events and"
              + " in seconds (the age of its oldest unprojected event).")
  @GetMapping(path = "/api/v1/projections", produces = MediaType.APPLICATION_JSON_VALUE)
  List<ProjectionStatus.Status> projections() throws Exception {
    return status.all();
  }
}
