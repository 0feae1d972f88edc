package io.ledgerline.command.api;

import io.ledgerline.platform.web.openapi.ProblemCatalog;
import io.ledgerline.platform.web.openapi.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.servers.Server;
import java.util.ArrayList;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;

/**
 * The command API's OpenAPI description beyond what its controllers and platform-web's conventions
 * say: what it is, where it runs, its own problem types, and the {@code Idempotency-Key} and {@code
 * If-Match} headers of its commands.
 */
@Configuration(proxyBeanMethods = false)
class ApiDocumentation {

  static final String IDEMPOTENCY_KEY = "IdempotencyKey";
  static final String IF_MATCH = "IfMatch";

  @Bean
  OpenAPI commandApi() {
    return new OpenAPI()
        .info(
            new Info()
                .title("Ledgerline command API")
                .version("1")
                .description(
                    """
                    The commands of the Ledgerline money ledger: open accounts, deposit, withdraw, \
                    freeze, unfreeze and close them, transfer money between them, and top them up \
                    by card. Every accepted command is recorded as immutable events in the event \
                    store, the system of record; the query API reads projections of them.

                    - Amounts are integers in minor units of the account's currency (1250 is \
                    €12.50).
                    - A command answers with the account's new version, also as `ETag`; \
                    `If-Match` with that version makes the next command conditional (412 when \
                    the account has moved on), and the query API's `minVersion` waits for it.
                    - `Idempotency-Key` makes a command safe to retry: the same key and body get \
                    the first response and have no second effect.
                    - Request bodies are strict JSON: unknown fields, duplicate keys and values \
                    of the wrong type are rejected and change nothing.
                    - Errors are RFC 9457 problems (`application/problem+json`) with a stable \
                    `type` such as `urn:ledgerline:problem:insufficient-funds`.
                    - Every response carries `X-Correlation-Id` (the caller's, or a new one), \
                    which is also stored with every event the request caused.
                    - Personal data (an owner's profile, references, reasons) is stored sealed \
                    under a key of its owner; once an admin erased the owner it reads as null, \
                    with `personalData: ERASED` or `referenceErased: true`."""))
        .servers(
            List.of(
                new Server()
                    .url("http://127.0.0.1:8080")
                    .description("The local stack (`infra/bin/ledgerline up`)")))
        .components(
            new Components()
                .addParameters(
                    IDEMPOTENCY_KEY,
                    new HeaderParameter()
                        .name("Idempotency-Key")
                        .required(false)
                        .description(
                            "Makes the command safe to retry: a request with the same key and body"
                                + " (from the same caller) gets the first response and has no"
                                + " second effect, also after a restart or on another instance;"
                                + " the same key with another body is a 422"
                                + " `idempotency-conflict`. Keys are kept for 24 hours. A failed"
                                + " request stores nothing, so its retry runs again.")
                        .schema(
                            new StringSchema()
                                .minLength(1)
                                .maxLength(255)
                                .pattern("^[\\x21-\\x7E]+$")
                                .example("3f0c1c8e-5d7a-4c2e-9a51-6b7f2d8e9a10")))
                .addParameters(
                    IF_MATCH,
                    new HeaderParameter()
                        .name("If-Match")
                        .required(false)
                        .description(
                            "Applies the command only if the account is still at this version"
                                + " (the `ETag` of its last command, such as `\"3\"`); a stale"
                                + " version is a 412 `version-conflict` and applies nothing."
                                + " Absent or `*`: whatever the version.")
                        .schema(new StringSchema().example("\"1\"")))
                .addHeaders(
                    "ETag",
                    new Header()
                        .description(
                            "The account's version after the command, for `If-Match` here and"
                                + " `minVersion` on the query API")
                        .schema(new StringSchema().example("\"1\""))));
  }

  /**
   * Every POST outside the admin API, and every PUT and DELETE of an owner, goes through the
   * idempotent command sender, so takes an {@code Idempotency-Key}; every {@code If-Match} is the
   * account version; every account command answers with the version as {@code ETag}.
   */
  @Bean
  OpenApiCustomizer commandHeaders() {
    return api ->
        api.getPaths()
            .forEach(
                (path, item) -> {
                  List<Operation> commands = new ArrayList<>();
                  if (!path.startsWith("/api/v1/admin/")) {
                    commands.add(item.getPost());
                  }
                  if (path.startsWith("/api/v1/owners/")) {
                    commands.add(item.getPut());
                    commands.add(item.getDelete());
                  }
                  for (Operation command : commands) {
                    if (command == null) {
                      continue;
                    }
                    List<Parameter> parameters =
                        command.getParameters() == null
                            ? new ArrayList<>()
                            : new ArrayList<>(command.getParameters());
                    parameters.add(
                        new Parameter().$ref("#/components/parameters/" + IDEMPOTENCY_KEY));
                    command.setParameters(parameters);
                  }
                  for (Operation operation : item.readOperations()) {
                    if (operation.getParameters() != null) {
                      operation
                          .getParameters()
                          .replaceAll(
                              parameter ->
                                  "header".equals(parameter.getIn())
                                          && "If-Match".equals(parameter.getName())
                                      ? new Parameter().$ref("#/components/parameters/" + IF_MATCH)
                                      : parameter);
                    }
                  }
                  if (path.startsWith("/api/v1/accounts")) {
                    item.readOperations()
                        .forEach(
                            operation ->
                                operation
                                    .getResponses()
                                    .forEach(
                                        (status, response) -> {
                                          if (status.startsWith("2")) {
                                            response.addHeaderObject(
                                                "ETag",
                                                new Header().$ref("#/components/headers/ETag"));
                                          }
                                        }));
                  }
                });
  }

  /** The command API's own problems, beside platform-web's shared ones. */
  @Bean
  ProblemCatalog commandProblemTypes() {
    return ProblemCatalog.of(
        ProblemType.of(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "invalid-amount",
            "Invalid amount",
            "amount must be between 1 and 1000000000000000 minor units"),
        ProblemType.of(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "insufficient-funds",
            "Insufficient funds",
            "balance 1000 with overdraft limit 0 does not cover 2500"),
        ProblemType.of(
            HttpStatus.CONFLICT,
            "account-frozen",
            "Account frozen",
            "account 0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f is frozen"),
        ProblemType.of(
            HttpStatus.CONFLICT,
            "account-closed",
            "Account closed",
            "account 0b7c5a0e-2a49-4f5e-9d8e-0c9f3b1d2e4f is closed"),
        ProblemType.of(
            HttpStatus.CONFLICT,
            "non-zero-balance",
            "Balance is not zero",
            "only a zero-balance account can be closed; balance is 1250"),
        ProblemType.of(
            HttpStatus.PRECONDITION_FAILED,
            "version-conflict",
            "Version conflict",
            "If-Match names version 1 but the account is at version 2"),
        ProblemType.of(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "idempotency-conflict",
            "Idempotency key reused",
            "Idempotency-Key 'deposit-42' was already used for a different request"),
        ProblemType.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "contended",
            "Account busy",
            "the account is being changed by many concurrent requests; retry shortly"),
        ProblemType.of(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "same-account",
            "Transfer rejected",
            "cannot transfer to the same account"),
        ProblemType.of(
            HttpStatus.UNPROCESSABLE_ENTITY,
            "currency-mismatch",
            "Transfer rejected",
            "cannot transfer from EUR to an account in USD"),
        ProblemType.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "gateway-disabled",
            "Payment gateway not configured",
            "no payment gateway is configured: card top-ups are unavailable"),
        ProblemType.of(
            HttpStatus.SERVICE_UNAVAILABLE,
            "gateway-unavailable",
            "Payment gateway unavailable",
            "the payment gateway did not answer; the top-up is kept: retry with the same"
                + " Idempotency-Key to continue it"),
        ProblemType.of(
            HttpStatus.BAD_GATEWAY,
            "gateway-refused",
            "Payment gateway refused",
            "the payment gateway refused the top-up's payment intent (amount_too_large)"),
        ProblemType.of(
            HttpStatus.CONFLICT,
            "personal-data-erased",
            "Personal data erased",
            "the personal data of owner alice was erased: no new personal data (profile,"
                + " reference, reason) is taken for them"));
  }
}
