package io.ledgerline.query.api;

import io.ledgerline.platform.web.openapi.ProblemCatalog;
import io.ledgerline.platform.web.openapi.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.servers.Server;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The query API's OpenAPI description beyond what its controllers and platform-web's conventions
 * say: what it is, where it runs, its own problem types, and the parameters that mean the same on
 * every list (paging, time windows, read-your-writes).
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  /** The query parameters that mean the same wherever they appear. */
  private static final Map<String, String> COMMON_PARAMETERS =
      Map.of(
          "cursor",
          "The `nextCursor` of the previous page, to get the next one; it continues only the query"
              + " it came from (same filters and sort) and expires after a while (410"
              + " `cursor-expired`: start again without one).",
          "size",
          "Results per page.",
          "order",
          "The sort order: `asc` or `desc`.",
          "from",
          "The start of the time window, inclusive: an ISO-8601 instant such as"
              + " `2026-01-01T00:00:00Z`.",
          "to",
          "The end of the time window, exclusive: an ISO-8601 instant.",
          "minVersion",
          "Read your own write: wait, up to 5 s, until the read model has reached this version"
              + " (the `version` or `ETag` a command answered with); then 503"
              + " `projection-behind` with `Retry-After`.");

  @Bean
  OpenAPI queryApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Ledgerline query API")
                .version("1")
                .description(
                    """
                    Reads of the Ledgerline money ledger: accounts, their movements and \
                    transfers from the read models (Elasticsearch projections of the event \
                    store), dashboards, a live feed of movements, the projections' health and \
                    repair, and the auditors' read-only view of the event store itself.

                    - The read models follow the event store within moments; `minVersion` waits \
                    (bounded) for the version a command answered with, so a client reads its own \
                    write.
                    - Lists are paged with a `cursor`: pages are complete and free of duplicates \
                    while writes go on.
                    - Amounts are integers in minor units; money is never summed across \
                    currencies.
                    - Errors are RFC 9457 problems (`application/problem+json`) with a stable \
                    `type` such as `urn:ledgerline:problem:cursor-expired`.
                    - Every response carries `X-Correlation-Id` (the caller's, or a new one)."""))
        .servers(
            List.of(
                new Server()
                    .url("http://127.0.0.1:8081")
                    .description("The local stack (`infra/bin/ledgerline up`)")))
        .components(
            new Components()
                .addHeaders(
                    "ETag",
                    new Header()
                        .description("The version of what was read, as a command's `ETag` names it")
                        .schema(new StringSchema().example("\"2\""))));
  }

  /** Describes the common query parameters wherever an operation leaves them undescribed. */
  @Bean
  OpenApiCustomizer commonParameters() {
    return api ->
        api.getPaths().values().stream()
            .flatMap(item -> item.readOperations().stream())
            .map(Operation::getParameters)
            .filter(parameters -> parameters != null)
            .flatMap(List::stream)
            .filter(parameter -> "query".equals(parameter.getIn()))
            .filter(parameter -> parameter.getDescription() == null)
            .forEach(
                parameter -> parameter.setDescription(COMMON_PARAMETERS.get(parameter.getName())));
  }

  /** The query API's own problems, beside platform-web's shared ones. */
  @Bean
  ProblemCatalog queryProblemTypes() {
    return ProblemCatalog.of(
        ProblemType.of(
            HttpStatus.GONE,
            "cursor-expired",
            "Cursor expired",
            "the cursor has expired; start again from the first page, without a cursor"),
        ProblemType.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "projection-behind",
            "Read model not caught up yet",
            "account 0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f is at version 1, not yet at 2; retry shortly"),
        ProblemType.of(
            HttpStatus.CONFLICT, "http-409", "Conflict", "a reconciliation is already running"));
  }
}
